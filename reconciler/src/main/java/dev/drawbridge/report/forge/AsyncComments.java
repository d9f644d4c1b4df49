package dev.drawbridge.report.forge;

import dev.drawbridge.retry.Backoff;
import dev.drawbridge.retry.OwedDeliveries;
import dev.drawbridge.retry.RetryQueue;
import dev.drawbridge.retry.Sleeper;

import java.time.Duration;
import java.util.Objects;

/**
 * Keeps a slow or rate-limited forge from holding up pull-request checks, as {@link AsyncReporter} does for
 * statuses: {@link #publish} queues the comment and returns; one background worker publishes them in order;
 * a newer comment for the same pull request and environment replaces a queued one; retryable failures are
 * tried again with the same {@link Backoff}, unless a newer comment came in meanwhile. The caller never sees an
 * exception. With {@link OwedDeliveries}, the comments not published yet survive a restart ({@link #resume}).
 */
public final class AsyncComments implements CommentReporter, AutoCloseable {

    private final CommentReporter delegate;
    private final RetryQueue<PullRequestComment> queue;

    public AsyncComments(CommentReporter delegate) {
        this(delegate, AsyncReporter.DEFAULT_CAPACITY, Backoff.delivery(), Sleeper.SYSTEM);
    }

    public AsyncComments(CommentReporter delegate, int capacity, Backoff backoff, Sleeper sleeper) {
        this(delegate, new RetryQueue.Settings(capacity, backoff, sleeper), null);
    }

    /** @param owed where the comments not published yet are kept across a restart; null: in memory only */
    public AsyncComments(CommentReporter delegate, RetryQueue.Settings settings, OwedDeliveries<PullRequestComment> owed) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.queue = new RetryQueue<>("comment", "publish", "drawbridge-comments", PullRequestComment::key, delegate::publish,
                ForgeException::isRetryable, settings, owed);
    }

    /** Queues the comment and returns at once; never throws. */
    @Override
    public void publish(PullRequestComment comment) {
        queue.submit(comment);
    }

    /** Queues again the comments a stopped process did not publish; returns how many. */
    public int resume() {
        return queue.resume();
    }

    /** Waits until every queued comment was published or given up on; false when the timeout passed first. */
    public boolean flush(Duration timeout) throws InterruptedException {
        return queue.flush(timeout);
    }

    /** Comments published, given up on, retried and dropped (replaced, or pushed out of a full queue). */
    public ReporterStats stats() {
        return ReporterStats.of(queue.stats());
    }

    /** Stops the worker; comments still queued are not published (with a journal they stay owed). */
    @Override
    public void close() {
        queue.close();
    }

    @Override
    public String toString() {
        return "AsyncComments[" + delegate + "]";
    }
}
