package dev.drawbridge.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.apply.Applier;
import dev.drawbridge.apply.ApplyException;
import dev.drawbridge.apply.ApplyRequest;
import dev.drawbridge.apply.ChangeSet;
import dev.drawbridge.apply.DecisionRecord;
import dev.drawbridge.apply.DecisionStoreException;
import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.gate.Decision;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.gate.ImageVerdict;
import dev.drawbridge.gate.Violation;
import dev.drawbridge.policy.GatePolicy;
import dev.drawbridge.report.StatusDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One reconcile of one environment, as a short sequence of named stages (docs/architecture.md): source, render,
 * inspect, verify and decide ({@link GateRun}), then pin the verified digests, apply, prune and wait for
 * health ({@link Applier}). Each failure ends the run with one {@link Reason}. Only a PASS is applied;
 * nothing is pruned after a failed render, gate or apply. Stages never retry or sleep: the scheduler does.
 */
public final class ReconcilePipeline {

    private static final Logger log = LoggerFactory.getLogger(ReconcilePipeline.class);

    private final Stages stages;
    private final GateRun gate;
    private final Function<EnvironmentConfig, Applier> appliers;
    private final DecisionStores stores;
    private final CommitStatuses statuses;
    private final Map<String, Owners> owners = new ConcurrentHashMap<>();
    private final Map<String, Optional<GatePolicy>> policies = new ConcurrentHashMap<>();
    private final AppliedHistory history;
    private final Path workDir;
    private final Ownership ownership;

    /**
     * @param appliers the applier of each environment's cluster (kept by the caller; one per cluster)
     * @param stores   where each environment's decision records are kept (and promotion evidence read)
     * @param workDir  private directory for Git mirrors and trees
     */
    public ReconcilePipeline(Stages stages, Function<EnvironmentConfig, Applier> appliers, DecisionStores stores,
                             Path workDir) {
        this(stages, appliers, stores, null, workDir);
    }

    /** @param statuses where commit statuses are posted; null for none */
    public ReconcilePipeline(Stages stages, Function<EnvironmentConfig, Applier> appliers, DecisionStores stores,
                             CommitStatuses statuses, Path workDir) {
        this(stages, appliers, stores, statuses, workDir, Ownership.ALONE);
    }

    /**
     * @param ownership whether this process may still act on an environment: asked right before the apply, so a
     *                  replica that lost the environment's Lease while the gate ran applies, records and posts nothing
     */
    public ReconcilePipeline(Stages stages, Function<EnvironmentConfig, Applier> appliers, DecisionStores stores,
                             CommitStatuses statuses, Path workDir, Ownership ownership) {
        this.ownership = ownership;
        this.stages = stages;
        this.gate = new GateRun(stages, workDir, stores, true);
        this.appliers = appliers;
        this.stores = stores;
        this.statuses = statuses;
        this.history = new AppliedHistory(stages.source(), stores);
        this.workDir = workDir;
    }

    /**
     * The next reconcile of {@code environment} applies its branch head even if the branch was force-pushed
     * (the revision last applied is no longer in its history); otherwise that is refused with
     * {@link Reason#FORCE_PUSHED}.
     */
    public void acceptForcePushOnce(String environment) {
        history.acceptOnce(environment);
    }

    /** Reconciles once, keeps the decision as a record in the environment's cluster and reports it. */
    public ReconcileOutcome reconcile(DrawbridgeConfig config, EnvironmentConfig env) {
        ReconcileOutcome outcome = run(config, env);
        if (outcome instanceof ReconcileOutcome.Failed failed && failed.reason() == Reason.LEASE_LOST) {
            return outcome; // the holder records and reports
        }
        record(env, outcome);
        if (statuses != null) {
            statuses.decided(env, outcome);
        }
        return outcome;
    }

    /**
     * The owners ({@code drawbridge.dev/owner}) of the objects rendered by the last reconcile of
     * {@code environment}; {@link Owners#NONE} before the first one and when it rendered nothing. Read by
     * the loop's listeners right after the reconcile they are told about (one reconcile per environment
     * at a time, so this is that reconcile's render).
     */
    public Owners owners(String environment) {
        return owners.getOrDefault(environment, Owners.NONE);
    }

    /**
     * The policy the last reconcile of {@code environment} was judged by; empty before the first one and when it
     * could not be loaded. Read like {@link #owners}.
     */
    public Optional<GatePolicy> policy(String environment) {
        return policies.getOrDefault(environment, Optional.empty());
    }

    private ReconcileOutcome run(DrawbridgeConfig config, EnvironmentConfig env) {
        // the live state is read while the gate runs (reads only; used only if the gate passes)
        try {
            appliers.apply(env).prefetch(env.name());
        } catch (RuntimeException e) {
            log.debug("{}: no prefetch of the live state: {}", env.name(), e.getMessage()); // the apply stage reports it
        }

        // source, render, inspect, verify, decide
        GateRun.Outcome gated = gate.run(config, env, CheckOptions.DEFAULT, (sha, policySha) -> {
            expectRecord(env, sha, policySha);
            if (statuses != null) {
                statuses.verifying(env, sha, policySha);
            }
        }, (remote, head) -> history.refuse(env, remote, head, workDir));
        GateReport report = gated.report();
        owners.put(env.name(), Owners.of(gated.objects()));
        policies.put(env.name(), Optional.ofNullable(gated.policy()));
        if (gated.failure() != null) {
            return new ReconcileOutcome.Failed(report, gated.failure(), StatusDescription.of(report.result()), ChangeSet.empty());
        }
        if (report.result().decision() == Decision.ERROR) {
            return new ReconcileOutcome.Failed(report, Reason.GATE_ERROR, StatusDescription.of(report.result()), ChangeSet.empty());
        }
        if (report.result().decision() == Decision.BLOCK) {
            return new ReconcileOutcome.Blocked(report);
        }

        // pin: what runs is what was verified
        List<ObjectNode> pinned;
        try {
            pinned = stages.inspector().pin(gated.objects(), pins(report));
        } catch (IllegalArgumentException e) {
            return new ReconcileOutcome.Failed(report, Reason.GATE_ERROR, e.getMessage(), ChangeSet.empty());
        }

        // apply, prune, wait for health: only while this process still holds the environment (asked again before each write)
        if (!ownership.holds(env.name())) {
            return new ReconcileOutcome.Failed(report, Reason.LEASE_LOST, env.name()
                    + ": this replica lost the environment's Lease while verifying; its holder applies", ChangeSet.empty());
        }
        try {
            ChangeSet changes = appliers.apply(env).apply(new ApplyRequest(env.name(), pinned, env.prune(),
                    env.allowEmpty(), env.waitForHealth(), env.healthTimeout(), () -> ownership.holds(env.name())));
            history.applied(env.name(), report.revision());
            return new ReconcileOutcome.Applied(report, changes);
        } catch (ApplyException e) {
            return new ReconcileOutcome.Failed(report, reason(e.reason()), e.getMessage(), e.changeSet());
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            // the client could not be built (a kubeconfig that cannot be read) or the cluster is unreachable
            return new ReconcileOutcome.Failed(report, Reason.APPLY_FAILED,
                    "could not reach the cluster of " + env.name() + ": " + e.getMessage(), ChangeSet.empty());
        } catch (RuntimeException e) {
            if (Clusters.isClusterFailure(e)) {
                return new ReconcileOutcome.Failed(report, Reason.APPLY_FAILED,
                        "could not reach the cluster of " + env.name() + ": " + e.getMessage(), ChangeSet.empty());
            }
            log.error("{}: unexpected failure while applying", env.name(), e);
            return new ReconcileOutcome.Failed(report, Reason.INTERNAL, "unexpected " + e.getClass().getSimpleName()
                    + " while applying (a defect; nothing more was applied): " + e.getMessage(), ChangeSet.empty());
        }
    }

    /**
     * The decision record (docs/operations.md): what was decided, for which digests, and whether it was applied.
     * Promotion evidence is read from these, so a record that cannot be written is logged loudly; the next
     * environment then lacks evidence and fails closed.
     */
    private void record(EnvironmentConfig env, ReconcileOutcome outcome) {
        GateReport report = outcome.report();
        List<DecisionRecord.RecordedImage> images = report.result().images().stream()
                .map(v -> new DecisionRecord.RecordedImage(v.reference(), v.digest() == null ? null : v.digest().toString(),
                        v.verdict().name(), v.violations().stream().map(Violation::rule).distinct().toList()))
                .toList();
        String reason = outcome instanceof ReconcileOutcome.Failed failed ? failed.reason().name()
                : outcome instanceof ReconcileOutcome.Blocked ? Reason.GATE_BLOCKED.name() : null;
        DecisionRecord record = new DecisionRecord(env.name(), report.revision(), report.policyRevision(),
                report.result().decision().name(), stages.clock().instant(), images,
                outcome instanceof ReconcileOutcome.Applied, reason, StatusDescription.of(report.result()));
        try {
            stores.of(env).record(record);
        } catch (DecisionStoreException | RuntimeException e) {
            log.warn("{}: could not keep the decision record: {}", env.name(), e.getMessage());
        }
    }

    /** The decision record of this run is written at its end; the store may prepare for it meanwhile. */
    private void expectRecord(EnvironmentConfig env, String sha, String policySha) {
        try {
            stores.of(env).expect(env.name(), sha, policySha);
        } catch (RuntimeException e) {
            log.debug("{}: decision record not prepared: {}", env.name(), e.getMessage()); // recorded as usual
        }
    }

    /** The verified, pinned form of each reference as written: {@code host/repository@sha256:...}. */
    static Map<String, String> pins(GateReport report) {
        Map<String, String> pins = new HashMap<>();
        for (ImageVerdict v : report.result().images()) {
            if (v.digest() != null) {
                pins.put(v.reference(), v.image().pinned(v.digest()));
            }
        }
        return pins;
    }

    private static Reason reason(ApplyException.Reason reason) {
        return switch (reason) {
            case PRUNE_FAILED -> Reason.PRUNE_FAILED;
            case HEALTH_FAILED -> Reason.HEALTH_FAILED;
            case LEASE_LOST -> Reason.LEASE_LOST;
            case INVALID_OBJECT, EMPTY_DESIRED_SET, INVENTORY_FAILED, APPLY_FAILED -> Reason.APPLY_FAILED;
        };
    }
}
