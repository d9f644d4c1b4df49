package dev.drawbridge.report.forge;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps a slow or rate-limited forge from holding up pull-request checks, as {@link AsyncReporter} does for
 * statuses: {@link #publish} queues the comment and returns; one background worker publishes them in order;
 * a newer comment for the same pull request and environment replaces a queued one; retryable failures are
 * tried again with the same capped exponential {@link AsyncReporter.Backoff}, unless a newer comment came in
 * meanwhile. The caller never sees an exception.
 */
public final class AsyncComments implements CommentReporter, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AsyncComments.class);

    private final CommentReporter delegate;
    private final int capacity;
    private final AsyncReporter.Backoff backoff;
    private final Sleeper sleeper;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final LinkedHashMap<String, PullRequestComment> pending = new LinkedHashMap<>();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private boolean busy;
    private boolean running = true;
    private final Thread worker;

    public AsyncComments(CommentReporter delegate) {
        this(delegate, AsyncReporter.DEFAULT_CAPACITY, AsyncReporter.Backoff.defaults(), Sleeper.SYSTEM);
    }

    public AsyncComments(CommentReporter delegate, int capacity, AsyncReporter.Backoff backoff, Sleeper sleeper) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        if (capacity < 1) {
            throw new IllegalArgumentException("Invalid capacity: " + capacity);
        }
        this.capacity = capacity;
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.worker = new Thread(this::work, "drawbridge-comments");
        worker.setDaemon(true);
        worker.start();
    }

    /** Queues the comment and returns at once; never throws. */
    @Override
    public void publish(PullRequestComment comment) {
        if (comment == null) {
            return;
        }
        lock.lock();
        try {
            if (!running) {
                dropped.incrementAndGet();
                return;
            }
            if (pending.remove(comment.key()) != null) {
                dropped.incrementAndGet();
            } else if (pending.size() >= capacity) {
                Iterator<PullRequestComment> oldest = pending.values().iterator();
                log.warn("comment queue full ({}); dropped {}", capacity, oldest.next());
                oldest.remove();
                dropped.incrementAndGet();
            }
            pending.put(comment.key(), comment);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until every queued comment was published or given up on; false when the timeout passed first. */
    public boolean flush(Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (!pending.isEmpty() || busy) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = changed.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Comments published, given up on, retried and dropped (replaced, or pushed out of a full queue). */
    public ReporterStats stats() {
        lock.lock();
        try {
            return new ReporterStats(published.get(), failed.get(), retried.get(), dropped.get(), pending.size());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            running = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        worker.interrupt();
        try {
            worker.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void work() {
        while (true) {
            PullRequestComment next;
            lock.lock();
            try {
                while (running && pending.isEmpty()) {
                    changed.awaitUninterruptibly();
                }
                if (!running) {
                    return;
                }
                Iterator<PullRequestComment> it = pending.values().iterator();
                next = it.next();
                it.remove();
                busy = true;
            } finally {
                lock.unlock();
            }
            try {
                deliver(next);
            } finally {
                lock.lock();
                try {
                    busy = false;
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    private void deliver(PullRequestComment comment) {
        for (int attempt = 1; ; attempt++) {
            try {
                delegate.publish(comment);
                published.incrementAndGet();
                return;
            } catch (ForgeException e) {
                if (!e.retryable() || attempt >= backoff.maxAttempts()) {
                    failed.incrementAndGet();
                    log.warn("could not publish the {} (attempt {}): {}", comment, attempt, e.getMessage());
                    return;
                }
                log.info("publishing the {} failed (attempt {}), will retry: {}", comment, attempt, e.getMessage());
            } catch (RuntimeException e) {
                failed.incrementAndGet();
                log.warn("could not publish the {}: {}", comment, e.toString());
                return;
            }
            retried.incrementAndGet();
            try {
                sleeper.sleep(backoff.after(attempt));
            } catch (InterruptedException e) {
                failed.incrementAndGet();
                return;
            }
            if (superseded(comment.key())) {
                dropped.incrementAndGet();
                return;
            }
        }
    }

    private boolean superseded(String key) {
        lock.lock();
        try {
            return !running || pending.containsKey(key);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "AsyncComments[" + delegate + "]";
    }
}
