package dev.drawbridge.reconcile;

import dev.drawbridge.values.EnvironmentName;
import java.time.Duration;
import java.time.Instant;

/**
 * Where one environment stands in the loop.
 *
 * @param environment         its name
 * @param last                the last outcome, null before the first reconcile finished
 * @param finishedAt          when the last reconcile finished, null before
 * @param took                how long it took, null before
 * @param consecutiveFailures failed reconciles in a row (0 after an applied or blocked one)
 * @param nextRun             when it runs next, null when the loop is stopped
 */
public record EnvironmentStatus(EnvironmentName environment, ReconcileOutcome last, Instant finishedAt, Duration took,
                                int consecutiveFailures, Instant nextRun) {

    /** The last reconcile worked: applied, or blocked by the gate (the gate working is not a failure). */
    public boolean healthy() {
        return last != null && !(last instanceof ReconcileOutcome.Failed);
    }
}
