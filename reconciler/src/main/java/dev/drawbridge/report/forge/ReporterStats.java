package dev.drawbridge.report.forge;

/**
 * Counters of an {@link AsyncReporter}, for metrics.
 *
 * @param posted  statuses the forge accepted
 * @param failed  statuses given up on (not retryable, or out of attempts)
 * @param retried attempts repeated after a retryable failure
 * @param dropped statuses never sent: replaced by a newer one for the same sha and context, or pushed out of
 *                a full queue
 * @param queued  statuses waiting now
 */
public record ReporterStats(long posted, long failed, long retried, long dropped, int queued) {

    static ReporterStats of(dev.drawbridge.retry.RetryQueue.Stats stats) {
        return new ReporterStats(stats.delivered(), stats.failed(), stats.retried(), stats.dropped(), stats.pending());
    }
}
