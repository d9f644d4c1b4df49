package dev.drawbridge.reconcile;

import dev.drawbridge.apply.Applier;
import dev.drawbridge.apply.ApplyException;
import dev.drawbridge.apply.ApplyRequest;
import dev.drawbridge.apply.ChangeSet;
import dev.drawbridge.apply.LiveVersion;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.values.CommitId;
import dev.drawbridge.values.EnvironmentName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Stage {@code pin} and {@code apply}: server-side apply of the pinned objects, prune, wait for health
 * ({@link Applier}); only while this process holds the environment (asked right before the apply and again before
 * each write batch). Every failure is one reason: the cluster's, or {@link Reason#INTERNAL} for what nothing
 * expected.
 * <p>
 * Nothing changed, nothing done (docs/live-state.md): when the last apply of the environment wrote nothing, the
 * objects to apply are the same (same revision, policy revision, verified digests and settings) and the watches
 * saw none of its objects change since ({@link Applier#liveVersion}), that apply's change set is the answer: the
 * objects are neither pinned, compared nor read. At least every {@link #FULL_APPLY_EVERY} the apply runs in full
 * anyway, whatever the watches say.
 */
final class ApplyStage {

    private static final Logger log = LoggerFactory.getLogger(ApplyStage.class);

    /** How long the answer of an apply that found nothing to do is reused at most. */
    static final Duration FULL_APPLY_EVERY = Duration.ofMinutes(5);

    /**
     * What decides the objects an apply sends: the revision and its path, the policy revision, the verified
     * digests they are pinned to, and the environment's settings.
     */
    record Desired(CommitId revision, String policyRevision, Map<String, String> pins, EnvironmentConfig env) {
    }

    /** Pins the objects to apply (stage {@code pin}); only called when they are applied. */
    @FunctionalInterface
    interface Pinning {
        PinStage.Pinned pinned() throws StageFailure;
    }

    /** An apply that wrote nothing, what it answered, and the live state it started from. */
    private record Unchanged(Desired desired, LiveVersion live, Instant at, ChangeSet changes) {
    }

    private final Function<EnvironmentConfig, Applier> appliers;
    private final Ownership ownership;
    private final Clock clock;
    private final Map<EnvironmentName, Unchanged> unchanged = new ConcurrentHashMap<>();

    ApplyStage(Function<EnvironmentConfig, Applier> appliers, Ownership ownership, Clock clock) {
        this.appliers = appliers;
        this.ownership = ownership;
        this.clock = clock;
    }

    /**
     * The live state is read while the rest of the gate runs (reads only; used only if the gate passes), once the
     * revision and the policy revision are known: not when they are those of the last apply that wrote nothing and
     * the watches saw nothing change since, as then most likely nothing is applied (an apply after all reads what
     * it needs itself).
     */
    void prefetch(EnvironmentConfig env, CommitId revision, String policyRevision) {
        try {
            Applier applier = appliers.apply(env);
            Unchanged last = unchanged.get(env.name());
            if (last != null && last.desired().revision().equals(revision)
                    && Objects.equals(last.desired().policyRevision(), policyRevision)
                    && applier.liveVersion(env.name()).equals(Optional.of(last.live()))) {
                return;
            }
            applier.prefetch(env.name());
        } catch (RuntimeException e) {
            log.debug("{}: no prefetch of the live state: {}", env.name(), e.getMessage()); // the apply reports it
        }
    }

    ChangeSet apply(EnvironmentConfig env, Desired desired, Pinning pinning) throws StageFailure {
        if (!ownership.holds(env.name())) {
            throw new StageFailure(Reason.LEASE_LOST, env.name()
                    + ": this replica lost the environment's Lease while verifying; its holder applies");
        }
        Unchanged last = unchanged.remove(env.name());
        try {
            Applier applier = appliers.apply(env);
            Optional<LiveVersion> live = desired.revision() == null ? Optional.empty() : applier.liveVersion(env.name());
            Instant now = clock.instant();
            if (last != null && live.isPresent() && last.desired().equals(desired) && last.live().equals(live.get())
                    && now.isBefore(last.at().plus(FULL_APPLY_EVERY))) {
                unchanged.put(env.name(), last);
                log.debug("{}: nothing changed since the last apply; not applied again", env.name());
                return last.changes();
            }
            PinStage.Pinned pinned = pinning.pinned();
            ChangeSet changes = applier.apply(new ApplyRequest(env.name(), pinned.objects(), env.prune(), env.allowEmpty(),
                    env.waitForHealth(), env.healthTimeout(), () -> ownership.holds(env.name()), pinned.origins()));
            if (live.isPresent() && !changes.hasChanges()) {
                unchanged.put(env.name(), new Unchanged(desired, live.get(), now, changes));
            }
            return changes;
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
