package dev.drawbridge.report.forge;

import dev.drawbridge.retry.Backoff;
import dev.drawbridge.retry.OwedDeliveries;
import dev.drawbridge.retry.RetryQueue;
import dev.drawbridge.retry.Sleeper;

import java.time.Duration;
import java.util.Objects;

/**
 * Keeps a slow or rate-limited forge from blocking a reconcile: {@link #report} only queues the status and
 * returns; one background worker posts them in order. Only the newest status per sha and context is worth
 * posting, so a newer one replaces a pending one (which counts as dropped); a full queue drops its oldest.
 * Retryable failures are tried again with capped exponential backoff, unless a newer status for the same key
 * came in meanwhile ({@link RetryQueue}). The caller never sees an exception; failures are logged and counted.
 * With {@link OwedDeliveries}, the statuses not posted yet survive a restart ({@link #resume}).
 */
public final class AsyncReporter implements StatusReporter, AutoCloseable {

    public static final int DEFAULT_CAPACITY = 1000;

    private final StatusReporter delegate;
    private final RetryQueue<CommitStatus> queue;

    public AsyncReporter(StatusReporter delegate) {
        this(delegate, DEFAULT_CAPACITY, Backoff.delivery(), Sleeper.SYSTEM);
    }

    public AsyncReporter(StatusReporter delegate, int capacity, Backoff backoff, Sleeper sleeper) {
        this(delegate, new RetryQueue.Settings(capacity, backoff, sleeper), null);
    }

    /** @param owed where the statuses not posted yet are kept across a restart; null: in memory only */
    public AsyncReporter(StatusReporter delegate, RetryQueue.Settings settings, OwedDeliveries<CommitStatus> owed) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.queue = new RetryQueue<>("status", "post", "drawbridge-status-reporter", CommitStatus::key, delegate::report,
                ForgeException::isRetryable, settings, owed);
    }

    /** Queues the status and returns at once; never throws. */
    @Override
    public void report(CommitStatus status) {
        queue.submit(status);
    }

    /**
     * Queues again the statuses a stopped process did not post; each goes through the delegate as any other, so one
     * the forge already holds is not posted again ({@link QuietReporter}). Returns how many.
     */
    public int resume() {
        return queue.resume();
    }

    /** Waits until every queued status was posted or given up on; false when the timeout passed first. */
    public boolean flush(Duration timeout) throws InterruptedException {
        return queue.flush(timeout);
    }

    public ReporterStats stats() {
        return ReporterStats.of(queue.stats());
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
