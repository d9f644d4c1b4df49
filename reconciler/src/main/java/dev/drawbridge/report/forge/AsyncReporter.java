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
 * Keeps a slow or rate-limited forge from blocking a reconcile: {@link #report} only queues the status and
 * returns; one background worker posts them in order. Only the newest status per sha and context is worth
 * posting, so a newer one replaces a pending one (which counts as dropped); a full queue drops its oldest.
 * Retryable failures are tried again with capped exponential backoff, unless a newer status for the same key
 * came in meanwhile. The caller never sees an exception; failures are logged and counted.
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
    private static final Logger log = LoggerFactory.getLogger(AsyncReporter.class);

    private final StatusReporter delegate;
    private final int capacity;
    private final Backoff backoff;
    private final Sleeper sleeper;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final LinkedHashMap<String, CommitStatus> pending = new LinkedHashMap<>();
    private boolean busy;
    private volatile boolean running = true;

    private final AtomicLong posted = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread worker;

    public AsyncReporter(StatusReporter delegate) {
        this(delegate, DEFAULT_CAPACITY, Backoff.defaults(), Sleeper.SYSTEM);
    }

    public AsyncReporter(StatusReporter delegate, int capacity, Backoff backoff, Sleeper sleeper) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        if (capacity < 1) {
            throw new IllegalArgumentException("Invalid capacity: " + capacity);
        }
        this.capacity = capacity;
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.worker = new Thread(this::work, "drawbridge-status-reporter");
        worker.setDaemon(true);
        worker.start();
    }

    /** Queues the status and returns at once; never throws. */
    @Override
    public void report(CommitStatus status) {
        if (status == null) {
            return;
        }
        lock.lock();
        try {
            if (!running) {
                dropped.incrementAndGet();
                log.warn("status reporter closed; {} not posted", status);
                return;
            }
            if (pending.remove(status.key()) != null) {
                dropped.incrementAndGet();
                log.debug("{} replaces an older pending status", status);
            } else if (pending.size() >= capacity) {
                Iterator<Map.Entry<String, CommitStatus>> oldest = pending.entrySet().iterator();
                CommitStatus gone = oldest.next().getValue();
                oldest.remove();
                dropped.incrementAndGet();
                log.warn("status queue full ({}); dropped {}", capacity, gone);
            }
            pending.put(status.key(), status);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until every queued status was posted or given up on; false when the timeout passed first. */
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

    public ReporterStats stats() {
        lock.lock();
        try {
            return new ReporterStats(posted.get(), failed.get(), retried.get(), dropped.get(), pending.size());
        } finally {
            lock.unlock();
        }
    }

    /** Stops the worker; statuses still queued are not posted (call {@link #flush} first to post them). */
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
            Map.Entry<String, CommitStatus> next;
            lock.lock();
            try {
                while (running && pending.isEmpty()) {
                    changed.awaitUninterruptibly();
                }
                if (!running) {
                    return;
                }
                Iterator<Map.Entry<String, CommitStatus>> it = pending.entrySet().iterator();
                next = it.next();
                it.remove();
                busy = true;
            } finally {
                lock.unlock();
            }
            try {
                deliver(next.getKey(), next.getValue());
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

    private void deliver(String key, CommitStatus status) {
        for (int attempt = 1; ; attempt++) {
            try {
                delegate.report(status);
                posted.incrementAndGet();
                return;
            } catch (ForgeException e) {
                if (!e.retryable() || attempt >= backoff.maxAttempts()) {
                    failed.incrementAndGet();
                    log.warn("could not post {} (attempt {}): {}", status, attempt, e.getMessage());
                    return;
                }
                log.info("posting {} failed (attempt {}), will retry: {}", status, attempt, e.getMessage());
            } catch (RuntimeException e) {
                failed.incrementAndGet();
                log.warn("could not post {}: {}", status, e.toString());
                return;
            }
            retried.incrementAndGet();
            try {
                sleeper.sleep(backoff.after(attempt));
            } catch (InterruptedException e) {
                failed.incrementAndGet();
                log.warn("stopped while waiting to retry {}", status);
                return;
            }
            if (superseded(key)) {
                dropped.incrementAndGet();
                log.debug("{} superseded while waiting to retry", status);
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
        return "AsyncReporter[" + delegate + "]";
    }
}
