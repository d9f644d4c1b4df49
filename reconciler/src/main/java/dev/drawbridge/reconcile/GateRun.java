package dev.drawbridge.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.apply.DecisionStoreException;
import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.gate.Decision;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.gate.GateResult;
import dev.drawbridge.gate.Rules;
import dev.drawbridge.image.InspectError;
import dev.drawbridge.image.InspectResult;
import dev.drawbridge.policy.GatePolicy;
import dev.drawbridge.registry.LookupOptions;
import dev.drawbridge.render.RenderException;
import dev.drawbridge.source.Checkout;
import dev.drawbridge.source.GitRemote;
import dev.drawbridge.source.LocalDirectory;
import dev.drawbridge.source.LocalTree;
import dev.drawbridge.source.SourceException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * The gate half of the pipeline — source, render, inspect, verify, decide — for one environment. Used
 * as it is by {@code check}, and as the first half of a reconcile. Each stage that fails ends the run
 * with an ERROR naming what could not be done; nothing here changes anything outside {@code workDir}.
 */
public final class GateRun {

    /** One daemon thread per policy load; loads are short and rare (one per run). */
    private static final Executor POLICY_LOADER = task -> {
        Thread t = new Thread(task, "policy-load");
        t.setDaemon(true);
        t.start();
    };

    private final Stages stages;
    private final Path workDir;
    private final Map<String, KeptRender> rendered = new ConcurrentHashMap<>();
    private final DecisionStores stores;
    private final boolean slots;
    private final PolicySource policies;
    private final Map<String, Object> slotLocks = new ConcurrentHashMap<>();

    /** @param stores where decision records are read from (promotion evidence) */
    public GateRun(Stages stages, Path workDir, DecisionStores stores) {
        this(stages, workDir, stores, false);
    }

    /**
     * @param slots keep one tree per environment, updated in place from one revision to the next (a
     *              reconcile: the same branch again and again), instead of one tree per revision (pull
     *              requests, {@code check}); runs of one environment then take turns
     */
    public GateRun(Stages stages, Path workDir, DecisionStores stores, boolean slots) {
        this.stages = stages;
        this.workDir = workDir;
        this.stores = stores;
        this.slots = slots;
        this.policies = new PolicySource(stages.source(), workDir);
    }

    /**
     * What a gate run produced: the report, the rendered objects (when rendering worked), the reason
     * when it could not get as far as a decision on images (null when it did), and the policy it was judged
     * by (null when it could not be loaded).
     */
    public record Outcome(GateReport report, Checkout checkout, List<ObjectNode> objects, Reason failure,
                          GatePolicy policy) {
        Outcome withPolicy(GatePolicy judgedBy) {
            return new Outcome(report, checkout, objects, failure, judgedBy);
        }
    }

    public GateReport check(DrawbridgeConfig config, EnvironmentConfig env, CheckOptions options) {
        return run(config, env, options).report();
    }

    public Outcome run(DrawbridgeConfig config, EnvironmentConfig env, CheckOptions options) {
        return run(config, env, options, (sha, policySha) -> { });
    }

    /**
     * @param verifying told the revision and policy revision once both are known, before anything is
     *                  verified (commit statuses post {@code pending} there)
     */
    public Outcome run(DrawbridgeConfig config, EnvironmentConfig env, CheckOptions options,
                       BiConsumer<String, String> verifying) {
        return run(config, env, options, verifying, (remote, head) -> null);
    }

    /** Says why the fetched head of an environment branch must not be used (null: it may). */
    @FunctionalInterface
    public interface HeadGuard {
        HeadRefusal refuse(GitRemote remote, String head) throws SourceException;
    }

    /**
     * Why the fetched head must not be used: {@link Reason#FORCE_PUSHED} (its history does not hold what was
     * applied), or {@link Reason#APPLY_FAILED} when that cannot be known (the cluster's decision records cannot be
     * read). The message starts with the stage it is about ({@code source: }, {@code cluster: }).
     */
    public record HeadRefusal(Reason reason, String message) {
        public HeadRefusal {
            java.util.Objects.requireNonNull(reason, "reason");
            java.util.Objects.requireNonNull(message, "message");
        }
    }

    /**
     * @param guard asked about the branch head right after it is fetched; a refusal ends the run with its
     *              reason before anything is rendered or verified
     */
    public Outcome run(DrawbridgeConfig config, EnvironmentConfig env, CheckOptions options,
                       BiConsumer<String, String> verifying, HeadGuard guard) {
        if (!slots) {
            return gate(config, env, options, verifying, guard);
        }
        synchronized (slotLocks.computeIfAbsent(env.name(), name -> new Object())) {
            return gate(config, env, options, verifying, guard); // the environment's tree is this run's until it ends
        }
    }

    private Outcome gate(DrawbridgeConfig config, EnvironmentConfig env, CheckOptions options,
                         BiConsumer<String, String> verifying, HeadGuard guard) {
        // source: the policy from its own source (fetched beside the manifests), and the manifests at the
        // branch head (or a local directory)
        CompletableFuture<PolicySource.Loaded> policyLoad = CompletableFuture.supplyAsync(
                () -> policies.load(config, env.name()), POLICY_LOADER);
        Checkout checkout;
        String path;
        try {
            if (options.dir() != null) {
                LocalTree tree = LocalDirectory.checkout(options.dir());
                checkout = tree.checkout();
                path = tree.path();
            } else {
                GitRemote remote = Remotes.of(config.git());
                checkout = slots ? stages.source().checkout(remote, env.branch(), workDir, "environment/" + env.name())
                        : stages.source().checkout(remote, env.branch(), workDir);
                path = env.path();
                HeadRefusal refused = guard.refuse(remote, checkout.revision().sha());
                if (refused != null) {
                    return failed(env, checkout, null, path, refused.reason(), List.of(refused.message()));
                }
            }
        } catch (SourceException e) {
            return failed(env, null, null, env.path(), Reason.SOURCE_FAILED, List.of("source: " + e.getMessage()));
        }
        String revision = checkout.revision() == null ? null : checkout.revision().sha();
        PolicySource.Loaded policy = policyLoad.join();
        if (!policy.ok()) {
            return failed(env, checkout, policy.revision(), path,
                    policy.revision() == null ? Reason.SOURCE_FAILED : Reason.POLICY_FAILED, policy.errors());
        }
        if (revision != null) {
            verifying.accept(revision, policy.revision());
        }

        // render (a revision already rendered for this environment is not rendered again)
        List<ObjectNode> objects;
        try {
            objects = render(env, checkout, path);
        } catch (RenderException e) {
            if (e.kind() == RenderException.Kind.REMOTE_REFUSED) {
                return failed(env, checkout, policy.revision(), path, Reason.RENDER_REMOTE_REFUSED,
                        List.of("render: " + Reason.RENDER_REMOTE_REFUSED + ": " + e.getMessage())).withPolicy(policy.policy());
            }
            return failed(env, checkout, policy.revision(), path, Reason.RENDER_FAILED, List.of("render: " + e.getMessage()))
                    .withPolicy(policy.policy());
        }

        // inspect
        InspectResult inspected = stages.inspector().inspect(objects);
        List<String> errors = new ArrayList<>();
        for (InspectError error : inspected.errors()) {
            errors.add("inspect: " + error);
        }

        // verify + decide
        GateResult result = stages.gate().evaluate(inspected.images(), objects, policy.policy(),
                new LookupOptions(Set.copyOf(env.platforms()), policy.policy().sbomRequired()), errors);
        result = promotion(config, env, options, policy.policy(), result);
        return new Outcome(new GateReport(env.name(), revision, policy.revision(), path, result), checkout, objects, null,
                policy.policy());
    }

    /**
     * Kustomize's output depends only on the tree (a commit sha) and the path, so the last render of each
     * environment is reused while both are the same: a reconcile with nothing new does not run Kustomize.
     * Callers get copies they may change.
     */
    private List<ObjectNode> render(EnvironmentConfig env, Checkout checkout, String path) throws RenderException {
        if (checkout.revision() == null) {
            return stages.renderer().render(checkout, path);
        }
        String sha = checkout.revision().sha();
        KeptRender last = rendered.get(env.name());
        if (last != null && last.sha().equals(sha) && last.path().equals(path)) {
            return last.copy();
        }
        List<ObjectNode> objects = stages.renderer().render(checkout, path);
        last = KeptRender.of(sha, path, objects);
        rendered.put(env.name(), last);
        // kept as JSON, the fresh trees are the caller's; kept as trees, the caller gets copies
        return last.json() != null ? objects : last.copy();
    }

    /**
     * {@code promotion.evidence}: with {@code promote-from: X}, every digest must have been applied by a PASS
     * decision of X, read from X's decision records in its cluster. Where they cannot be read the rule is an
     * ERROR (fail closed), unless the caller asked to skip it, which the report then says.
     */
    private GateResult promotion(DrawbridgeConfig config, EnvironmentConfig env, CheckOptions options,
                                 GatePolicy policy, GateResult result) {
        if (env.promoteFrom() == null) {
            return result;
        }
        if (options.skipPromotion()) {
            List<String> skipped = new ArrayList<>(result.skipped());
            skipped.add(Rules.PROMOTION_EVIDENCE);
            return new GateResult(result.decision(), result.images(), result.manifestViolations(), result.errors(), skipped);
        }
        String from = env.promoteFrom();
        Set<String> applied;
        try {
            EnvironmentConfig previous = config.environment(from).orElseThrow();
            applied = stores.of(previous).appliedPassDigests(from);
        } catch (DecisionStoreException | RuntimeException e) {
            List<String> errors = new ArrayList<>(result.errors());
            errors.add(Rules.PROMOTION_EVIDENCE + ": could not read the decision records of environment " + from + ": "
                    + e.getMessage() + " (use --skip-promotion to check without this rule)");
            return new GateResult(Decision.ERROR, result.images(), result.manifestViolations(), errors, result.skipped());
        }
        return stages.gate().requirePromotion(result, from, applied, policy);
    }

    private static Outcome failed(EnvironmentConfig env, Checkout checkout, String policyRevision, String path,
                                  Reason reason, List<String> errors) {
        String revision = checkout == null || checkout.revision() == null ? null : checkout.revision().sha();
        return new Outcome(new GateReport(env.name(), revision, policyRevision, path, GateResult.error(errors)), checkout,
                List.of(), reason, null);
    }
}
