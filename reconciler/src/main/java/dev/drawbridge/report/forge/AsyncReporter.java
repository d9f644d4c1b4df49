package dev.drawbridge.report.forge;

import java.time.Duration;
import java.util.Objects;

/**
 * Keeps a slow or rate-limited forge from blocking a reconcile: {@link #report} only queues the status and
 * returns; one background worker posts them in order. Only the newest status per sha and context is worth
 * posting, so a newer one replaces a pending one (which counts as dropped); a full queue drops its oldest.
 * Retryable failures are tried again with capped exponential backoff, unless a newer status for the same key
 * came in meanwhile ({@link RetryQueue}). The caller never sees an exception; failures are logged and counted.
 */
public final class AsyncReporter implements StatusReporter, AutoCloseable {

    /**
     * @param maxAttempts attempts per status, the first one included
     * @param initial     the wait after the first failure; doubled after each further one
     * @param max         the longest wait
     */
    public record Backoff(int maxAttempts, Duration initial, Duration max) {
        public Backoff {
            if (maxAttempts < 1 || initial.isNegative() || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("Invalid backoff: " + maxAttempts + " attempts, " + initial + ".." + max);
            }
        }

        /**
         * 2 s doubling to 2 min, 40 attempts: about 70 minutes, so a status outlives a forge outage of an hour
         * (a reconcile that changes nothing posts nothing, so a status given up on would never arrive).
         */
        public static Backoff defaults() {
            return new Backoff(40, Duration.ofSeconds(2), Duration.ofMinutes(2));
        }

        Duration after(int failedAttempts) {
            Duration wait = initial;
            for (int i = 1; i < failedAttempts && wait.compareTo(max) < 0; i++) {
                wait = wait.multipliedBy(2);
            }
            return wait.compareTo(max) > 0 ? max : wait;
        }
    }

    public static final int DEFAULT_CAPACITY = 1000;

    private final StatusReporter delegate;
    private final RetryQueue<CommitStatus> queue;

    public AsyncReporter(StatusReporter delegate) {
        this(delegate, DEFAULT_CAPACITY, Backoff.defaults(), Sleeper.SYSTEM);
    }

    public AsyncReporter(StatusReporter delegate, int capacity, Backoff backoff, Sleeper sleeper) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.queue = new RetryQueue<>("status", "post", "drawbridge-status-reporter", CommitStatus::key, delegate::report,
                capacity, backoff, sleeper);
    }

    /** Queues the status and returns at once; never throws. */
    @Override
    public void report(CommitStatus status) {
        queue.submit(status);
    }

    /** Waits until every queued status was posted or given up on; false when the timeout passed first. */
    public boolean flush(Duration timeout) throws InterruptedException {
        return queue.flush(timeout);
    }

    public ReporterStats stats() {
        return queue.stats();
    }

    /** Stops the worker; statuses still queued are not posted (call {@link #flush} first to post them). */
    @Override
    public void close() {
        queue.close();
    }

    @Override
    public String toString() {
        return "AsyncReporter[" + delegate + "]";
    }
}
