package dev.drawbridge.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.apply.Applier;
import dev.drawbridge.apply.ChangeSet;
import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.gate.Gate;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.gate.GateResult;
import dev.drawbridge.image.InspectResult;
import dev.drawbridge.policy.GatePolicy;
import dev.drawbridge.registry.LookupOptions;
import dev.drawbridge.report.StatusDescription;
import dev.drawbridge.threads.KeptThreads;
import dev.drawbridge.values.EnvironmentName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The reconcile of one environment as one list of stages (docs/architecture.md): source, guard, policy, pending
 * (these three beside the render), render, inspect, verify, promotion evidence ({@link #gate}: the gate stages), then decide, pin, apply
 * ({@link #deploy}), record and report. Each stage returns its value or fails with exactly one {@link Reason}, which
 * ends the run; what nothing expected is {@link Reason#INTERNAL}. A check, a pull request's check and a reconcile
 * run prefixes of this list ({@link Run.Purpose}). Only a PASS is applied; nothing is pruned after a failed render,
 * gate or apply. Stages never retry or sleep: the scheduler does.
 */
public final class ReconcilePipeline {

    private static final Logger log = LoggerFactory.getLogger(ReconcilePipeline.class);
    /** Where guard, policy and pending run beside the render: short, and waiting only for the policy's fetch. */
    private static final ExecutorService PRELUDE = KeptThreads.pool("gate-prelude", 8);

    private final Stages stages;
    private final Gate gate;
    private final SourceStage source;
    private final AppliedHistory history;
    private final PolicySource policies;
    private final RenderStage render;
    private final PromotionEvidence evidence;
    private final ApplyStage apply;
    private final RecordStage records;
    private final CommitStatuses statuses;
    private final Map<EnvironmentName, Owners> owners = new ConcurrentHashMap<>();
    private final Map<EnvironmentName, Optional<GatePolicy>> judgedBy = new ConcurrentHashMap<>();

    /**
     * @param appliers the applier of each environment's cluster (kept by the caller; one per cluster); null for a
     *                 pipeline that only checks
     * @param stores   where each environment's decision records are kept (and promotion evidence read)
     * @param statuses where commit statuses are posted; null for none
     * @param workDir  private directory for Git mirrors and trees
     * @param ownership whether this process may still act on an environment: asked right before the apply, so a
     *                  replica that lost the environment's Lease while the gate ran applies, records and posts nothing
     */
    public ReconcilePipeline(Stages stages, Function<EnvironmentConfig, Applier> appliers, DecisionStores stores,
                             CommitStatuses statuses, Path workDir, Ownership ownership) {
        this.stages = stages;
        this.gate = stages.gate();
        this.source = new SourceStage(stages.source(), workDir);
        this.history = new AppliedHistory(stages.source(), stores, workDir);
        this.policies = new PolicySource(stages.source(), workDir);
        this.render = new RenderStage(stages.renderer());
        this.evidence = new PromotionEvidence(stores);
        this.apply = appliers == null ? null : new ApplyStage(appliers, ownership, stages.clock());
        this.records = new RecordStage(stores, stages.clock());
        this.statuses = statuses;
    }

    public ReconcilePipeline(Stages stages, Function<EnvironmentConfig, Applier> appliers, DecisionStores stores,
                             Path workDir) {
        this(stages, appliers, stores, null, workDir, Ownership.ALONE);
    }

    /**
     * A pipeline for checks ({@code check}, {@code report}, {@code promote}, pull requests): the gate stages only, one
     * tree per revision.
     *
     * @param statuses where a pull request's {@code pending} is posted; null for none
     */
    public static ReconcilePipeline checks(Stages stages, Path workDir, DecisionStores stores, CommitStatuses statuses) {
        return new ReconcilePipeline(stages, null, stores, statuses, workDir, Ownership.ALONE);
    }

    /** Reconciles once: every stage, the decision kept as a record in the environment's cluster and reported. */
    public ReconcileOutcome reconcile(DrawbridgeConfig config, EnvironmentConfig env) {
        if (apply == null) {
            throw new IllegalStateException("this pipeline only checks");
        }
        Checked checked = gate(Run.reconcile(config, env));                      // source .. promotion evidence
        owners.put(env.name(), KeptRender.ownersOf(checked.objects()));
        judgedBy.put(env.name(), Optional.ofNullable(checked.policy()));
        ReconcileOutcome outcome = deploy(env, checked);                          // decide, pin, apply
        if (outcome instanceof ReconcileOutcome.Failed failed && failed.reason() == Reason.LEASE_LOST) {
            return outcome;                                                       // the holder records and reports
        }
        records.record(env, outcome);                                             // record
        if (statuses != null) {
            statuses.decided(env, outcome);                                       // report
        }
        return outcome;
    }

    /** The gate stages on the environment's branch head, or on {@code options.dir()}; nothing is posted. */
    public Checked check(DrawbridgeConfig config, EnvironmentConfig env, CheckOptions options) {
        return gate(Run.check(config, env, options));
    }

    /** The gate stages on a pull request's ref ({@code refs/pull/7/head}), {@code pending} posted on its head. */
    public Checked checkPullRequest(DrawbridgeConfig config, EnvironmentConfig env, String ref) {
        return gate(Run.pullRequest(config, env, ref));
    }

    /** The gate stages, in order; the first that fails ends the run with its reason, reported as an ERROR. */
    private Checked gate(Run run) {
        Trail trail = new Trail(run);
        InspectResult inspected;
        try {
            CompletableFuture<PolicySource.Loaded> policy = policies.start(run);     // policy, fetched beside the manifests
            try (SourceStage.Tree tree = source.checkout(run)) {                     // source
                trail.tree(tree);
                CompletableFuture<Void> prelude = CompletableFuture.runAsync(() -> {
                    try {
                        history.guard(run, tree);                                    // guard: no force-pushed history
                        trail.policy(policy.join());                                 // policy
                        pending(run, trail);                                         // report: pending
                    } catch (StageFailure failure) {
                        throw new CompletionException(failure);
                    }
                }, PRELUDE);
                List<ObjectNode> objects;
                try {
                    objects = render.render(run.env().name(), tree);                 // render, beside the three above
                } catch (StageFailure | RuntimeException failure) {
                    await(prelude);                   // theirs is the first failure, and none of them is left running
                    throw failure;
                }
                await(prelude);
                trail.objects(objects);
                inspected = render.inspect(run.env().name(), tree, trail.objects(), stages.inspector());  // inspect
            }
            GateResult verified = gate.evaluate(inspected.images(), trail.objects(), trail.policy(),   // verify
                    new LookupOptions(Set.copyOf(run.env().platforms()), trail.policy().sbomRequired()),
                    inspected.errors().stream().map(error -> "inspect: " + error).toList());
            return trail.checked(evidence.require(run, gate, trail.policy(), verified));  // promotion evidence
        } catch (StageFailure failure) {
            return trail.failed(failure);
        } catch (RuntimeException e) {
            log.error("{}: unexpected failure in the gate stages", run.env().name(), e);
            return trail.failed(new StageFailure(Reason.INTERNAL, "internal: unexpected " + e.getClass().getSimpleName()
                    + " (a defect; nothing was applied): " + e.getMessage()));
        }
    }

    /**
     * The end of guard, policy and pending, which run beside the render (Kustomize is most of a reconcile's time): what
     * they decide comes first, as if they had run before it, so a refused history or a policy that does not load ends
     * the run with its own reason whatever the render found.
     */
    private static void await(CompletableFuture<Void> prelude) throws StageFailure {
        try {
            prelude.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof StageFailure failure) {
                throw failure;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    /** Decide, pin, apply: only a PASS is applied, pinned to the digests that were verified. */
    private ReconcileOutcome deploy(EnvironmentConfig env, Checked checked) {
        GateReport report = checked.report();
        if (checked.failure() != null) {
            return new ReconcileOutcome.Failed(report, checked.failure(), StatusDescription.of(report.result()), ChangeSet.empty());
        }
        switch (report.result().decision()) {
            case ERROR -> {
                return new ReconcileOutcome.Failed(report, Reason.GATE_ERROR, StatusDescription.of(report.result()),
                        ChangeSet.empty());
            }
            case BLOCK -> {
                return new ReconcileOutcome.Blocked(report);
            }
            case PASS -> { }
        }
        try {
            ChangeSet changes = apply.apply(env, new ApplyStage.Desired(report.revision(), report.policyRevision(),  // apply
                    PinStage.pins(report), env), () -> PinStage.pin(stages.inspector(), checked.objects(), report));  // pin
            history.applied(env.name(), report.revision());
            return new ReconcileOutcome.Applied(report, changes);
        } catch (StageFailure failure) {
            return new ReconcileOutcome.Failed(report, failure.reason(), failure.getMessage(), failure.changes());
        }
    }

    /**
     * {@code pending} once the revision and the policy revision are known, before anything is verified; for a
     * reconcile, the live state is read ahead from then on, while the render and the gate run.
     */
    private void pending(Run run, Trail trail) {
        if (trail.revision() == null) {
            return;
        }
        switch (run.purpose()) {
            case RECONCILE -> {
                apply.prefetch(run.env(), trail.revision(), trail.policyRevision());  // the live state, read ahead
                records.expect(run.env(), trail.revision(), trail.policyRevision());
                if (statuses != null) {
                    statuses.verifying(run.env(), trail.revision(), trail.policyRevision());
                }
            }
            case PULL_REQUEST -> {
                if (statuses != null) {
                    statuses.checking(run.env(), trail.revision());
                }
            }
            case CHECK -> { }
        }
    }

    /**
     * The next reconcile of {@code environment} applies its branch head even if the branch was force-pushed
     * (the revision last applied is no longer in its history); otherwise that is refused with
     * {@link Reason#FORCE_PUSHED}.
     */
    public void acceptForcePushOnce(EnvironmentName environment) {
        history.acceptOnce(environment);
    }

    /**
     * The owners ({@code drawbridge.dev/owner}) of the objects rendered by the last reconcile of
     * {@code environment}; {@link Owners#NONE} before the first one and when it rendered nothing. Read by
     * the loop's listeners right after the reconcile they are told about (one reconcile per environment
     * at a time, so this is that reconcile's render).
     */
    public Owners owners(EnvironmentName environment) {
        return owners.getOrDefault(environment, Owners.NONE);
    }

    /**
     * The policy the last reconcile of {@code environment} was judged by; empty before the first one and when it
     * could not be loaded. Read like {@link #owners}.
     */
    public Optional<GatePolicy> policy(EnvironmentName environment) {
        return judgedBy.getOrDefault(environment, Optional.empty());
    }
}
