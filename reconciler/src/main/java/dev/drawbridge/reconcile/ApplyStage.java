package dev.drawbridge.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.apply.Applier;
import dev.drawbridge.apply.ApplyException;
import dev.drawbridge.apply.ApplyRequest;
import dev.drawbridge.apply.ChangeSet;
import dev.drawbridge.config.EnvironmentConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;

/**
 * Stage {@code apply}: server-side apply of the pinned objects, prune, wait for health ({@link Applier}); only
 * while this process holds the environment (asked right before the apply and again before each write batch).
 * Every failure is one reason: the cluster's, or {@link Reason#INTERNAL} for what nothing expected.
 */
final class ApplyStage {

    private static final Logger log = LoggerFactory.getLogger(ApplyStage.class);

    private final Function<EnvironmentConfig, Applier> appliers;
    private final Ownership ownership;

    ApplyStage(Function<EnvironmentConfig, Applier> appliers, Ownership ownership) {
        this.appliers = appliers;
        this.ownership = ownership;
    }

    /** The live state is read while the gate runs (reads only; used only if the gate passes). */
    void prefetch(EnvironmentConfig env) {
        try {
            appliers.apply(env).prefetch(env.name());
        } catch (RuntimeException e) {
            log.debug("{}: no prefetch of the live state: {}", env.name(), e.getMessage()); // the apply reports it
        }
    }

    ChangeSet apply(EnvironmentConfig env, List<ObjectNode> pinned) throws StageFailure {
        if (!ownership.holds(env.name())) {
            throw new StageFailure(Reason.LEASE_LOST, env.name()
                    + ": this replica lost the environment's Lease while verifying; its holder applies");
        }
        try {
            return appliers.apply(env).apply(new ApplyRequest(env.name(), pinned, env.prune(), env.allowEmpty(),
                    env.waitForHealth(), env.healthTimeout(), () -> ownership.holds(env.name())));
        } catch (ApplyException e) {
            throw new StageFailure(reason(e.reason()), List.of(e.getMessage()), e.changeSet());
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            // the client could not be built (a kubeconfig that cannot be read) or the cluster is unreachable
            throw unreachable(env, e);
        } catch (RuntimeException e) {
            if (Clusters.isClusterFailure(e)) {
                throw unreachable(env, e);
            }
            log.error("{}: unexpected failure while applying", env.name(), e);
            throw new StageFailure(Reason.INTERNAL, "unexpected " + e.getClass().getSimpleName()
                    + " while applying (a defect; nothing more was applied): " + e.getMessage());
        }
    }

    private static StageFailure unreachable(EnvironmentConfig env, RuntimeException e) {
        return new StageFailure(Reason.APPLY_FAILED, "could not reach the cluster of " + env.name() + ": " + e.getMessage());
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
