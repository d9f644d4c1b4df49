package dev.drawbridge.report.forge;

import java.time.Duration;
import java.util.Objects;

/**
 * Keeps a slow or rate-limited forge from holding up pull-request checks, as {@link AsyncReporter} does for
 * statuses: {@link #publish} queues the comment and returns; one background worker publishes them in order;
 * a newer comment for the same pull request and environment replaces a queued one; retryable failures are
 * tried again with the same capped exponential {@link AsyncReporter.Backoff}, unless a newer comment came in
 * meanwhile. The caller never sees an exception.
 */
public final class AsyncComments implements CommentReporter, AutoCloseable {

    private final CommentReporter delegate;
    private final RetryQueue<PullRequestComment> queue;

    public AsyncComments(CommentReporter delegate) {
        this(delegate, AsyncReporter.DEFAULT_CAPACITY, AsyncReporter.Backoff.defaults(), Sleeper.SYSTEM);
    }

    public AsyncComments(CommentReporter delegate, int capacity, AsyncReporter.Backoff backoff, Sleeper sleeper) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.queue = new RetryQueue<>("comment", "publish", "drawbridge-comments", PullRequestComment::key, delegate::publish,
                capacity, backoff, sleeper);
    }

    /** Queues the comment and returns at once; never throws. */
    @Override
    public void publish(PullRequestComment comment) {
        queue.submit(comment);
    }

    /** Waits until every queued comment was published or given up on; false when the timeout passed first. */
    public boolean flush(Duration timeout) throws InterruptedException {
        return queue.flush(timeout);
    }

    /** Comments published, given up on, retried and dropped (replaced, or pushed out of a full queue). */
    public ReporterStats stats() {
        return queue.stats();
    }

    /** Stops the worker; comments still queued are not published. */
    @Override
    public void close() {
        queue.close();
    }

    @Override
    public String toString() {
        return "AsyncComments[" + delegate + "]";
    }
}
