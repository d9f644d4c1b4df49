package dev.drawbridge.apply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.values.EnvironmentName;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * What to apply to one environment.
 *
 * @param environment   the environment's name (a DNS label: it names the inventory and is a label value of every object)
 * @param objects       the rendered objects, images already pinned to the verified digests; not modified
 * @param prune         delete what this environment applied before and is no longer desired
 * @param allowEmpty    allow an empty desired set, or one that would prune every object of the environment
 * @param waitForHealth report success only once the workloads are healthy
 * @param healthTimeout how long to wait for health (used when {@code waitForHealth})
 * @param stillHolds    asked before each write: false once this process no longer holds the environment (a replica
 *                      that lost its Lease), and then nothing more is written
 * @param origins       what each object was made from, when the caller can tell (null: not told); see {@link Origins}
 */
public record ApplyRequest(EnvironmentName environment, List<ObjectNode> objects, boolean prune, boolean allowEmpty,
                           boolean waitForHealth, Duration healthTimeout, BooleanSupplier stillHolds, Origins origins) {

    public ApplyRequest(EnvironmentName environment, List<ObjectNode> objects, boolean prune, boolean allowEmpty,
                        boolean waitForHealth, Duration healthTimeout, BooleanSupplier stillHolds) {
        this(environment, objects, prune, allowEmpty, waitForHealth, healthTimeout, stillHolds, null);
    }

    public ApplyRequest(EnvironmentName environment, List<ObjectNode> objects, boolean prune, boolean allowEmpty,
                        boolean waitForHealth, Duration healthTimeout) {
        this(environment, objects, prune, allowEmpty, waitForHealth, healthTimeout, () -> true);
    }

    /** The default of {@code health-timeout} (docs/operations.md). */
    public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofMinutes(5);

    public ApplyRequest {
        Objects.requireNonNull(environment, "environment");
        objects = List.copyOf(Objects.requireNonNull(objects, "objects"));
        healthTimeout = healthTimeout == null ? DEFAULT_HEALTH_TIMEOUT : healthTimeout;
        if (healthTimeout.isNegative() || healthTimeout.isZero()) {
            throw new IllegalArgumentException("Invalid health timeout (must be positive): " + healthTimeout);
        }
        stillHolds = stillHolds == null ? () -> true : stillHolds;
        if (origins != null && origins.each().size() != objects.size()) {
            throw new IllegalArgumentException("Invalid origins: " + origins.each().size() + " for " + objects.size()
                    + " objects");
        }
    }

    /** Prune, refuse an empty set, do not wait. */
    public static ApplyRequest of(EnvironmentName environment, List<ObjectNode> objects) {
        return new ApplyRequest(environment, objects, true, false, false, DEFAULT_HEALTH_TIMEOUT);
    }

    public ApplyRequest withPrune(boolean prune) {
        return new ApplyRequest(environment, objects, prune, allowEmpty, waitForHealth, healthTimeout, stillHolds, origins);
    }

    public ApplyRequest withAllowEmpty(boolean allowEmpty) {
        return new ApplyRequest(environment, objects, prune, allowEmpty, waitForHealth, healthTimeout, stillHolds, origins);
    }

    /** This request, telling what its objects were made from. */
    public ApplyRequest withOrigins(Origins origins) {
        return new ApplyRequest(environment, objects, prune, allowEmpty, waitForHealth, healthTimeout, stillHolds, origins);
    }

    public ApplyRequest withHealthWait(Duration timeout) {
        return new ApplyRequest(environment, objects, prune, allowEmpty, true, timeout, stillHolds, origins);
    }
}
