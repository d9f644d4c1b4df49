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
import java.util.function.Function;

/**
 * The one bounded worker that sends what goes to a forge (statuses, comments) off the caller's thread:
 * {@link #submit} queues an item and returns; one background thread delivers them in order. Only the newest item
 * per key is worth sending, so a newer one replaces a queued one (which counts as dropped); a full queue drops
 * its oldest. Retryable failures ({@link ForgeException#retryable()}) are tried again with capped exponential
 * backoff, unless a newer item for the same key came in meanwhile. The caller never sees an exception;
 * failures are logged and counted.
 *
 * @param <T> what is delivered
 */
final class RetryQueue<T> implements AutoCloseable {

    /** Sends one item; throws what the forge answered. */
    @FunctionalInterface
    interface Delivery<T> {
        void deliver(T item) throws ForgeException;
    }

    private static final Logger log = LoggerFactory.getLogger(RetryQueue.class);

    private final String noun;
    private final String verb;
    private final Function<T, String> key;
    private final Delivery<T> delivery;
    private final int capacity;
    private final AsyncReporter.Backoff backoff;
    private final Sleeper sleeper;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final LinkedHashMap<String, T> pending = new LinkedHashMap<>();
    private boolean busy;
    private volatile boolean running = true;

    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread worker;

    /**
     * @param noun   what an item is, for the log ({@code status}, {@code comment})
     * @param verb   what delivering it is called, for the log ({@code post}, {@code publish})
     * @param thread the worker thread's name
     * @param key    an item's key: a newer item with the same key replaces a queued one
     */
    RetryQueue(String noun, String verb, String thread, Function<T, String> key, Delivery<T> delivery, int capacity,
               AsyncReporter.Backoff backoff, Sleeper sleeper) {
        if (capacity < 1) {
            throw new IllegalArgumentException("Invalid capacity: " + capacity);
        }
        this.noun = noun;
        this.verb = verb;
        this.key = Objects.requireNonNull(key, "key");
        this.delivery = Objects.requireNonNull(delivery, "delivery");
        this.capacity = capacity;
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.worker = new Thread(this::work, thread);
        worker.setDaemon(true);
        worker.start();
    }

    /** Queues the item and returns at once; never throws. */
    void submit(T item) {
        if (item == null) {
            return;
        }
        lock.lock();
        try {
            if (!running) {
                dropped.incrementAndGet();
                log.warn("{} queue closed; {} not {}ed", noun, item, verb);
                return;
            }
            String k = key.apply(item);
            if (pending.remove(k) != null) {
                dropped.incrementAndGet();
                log.debug("{} replaces an older pending {}", item, noun);
            } else if (pending.size() >= capacity) {
                Iterator<Map.Entry<String, T>> oldest = pending.entrySet().iterator();
                T gone = oldest.next().getValue();
                oldest.remove();
                dropped.incrementAndGet();
                log.warn("{} queue full ({}); dropped {}", noun, capacity, gone);
            }
            pending.put(k, item);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until every queued item was sent or given up on; false when the timeout passed first. */
    boolean flush(Duration timeout) throws InterruptedException {
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

    /** Items sent, given up on, retried and dropped (replaced, or pushed out of a full queue), and still queued. */
    ReporterStats stats() {
        lock.lock();
        try {
            return new ReporterStats(delivered.get(), failed.get(), retried.get(), dropped.get(), pending.size());
        } finally {
            lock.unlock();
        }
    }

    /** Stops the worker; items still queued are not sent (call {@link #flush} first to send them). */
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
            Map.Entry<String, T> next;
            lock.lock();
            try {
                while (running && pending.isEmpty()) {
                    changed.awaitUninterruptibly();
                }
                if (!running) {
                    return;
                }
                Iterator<Map.Entry<String, T>> it = pending.entrySet().iterator();
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

    private void deliver(String k, T item) {
        for (int attempt = 1; ; attempt++) {
            try {
                delivery.deliver(item);
                delivered.incrementAndGet();
                return;
            } catch (ForgeException e) {
                if (!e.retryable() || attempt >= backoff.maxAttempts()) {
                    failed.incrementAndGet();
                    log.warn("could not {} {} (attempt {}): {}", verb, item, attempt, e.getMessage());
                    return;
                }
                log.info("attempt {} to {} {} failed, will retry: {}", attempt, verb, item, e.getMessage());
            } catch (RuntimeException e) {
                failed.incrementAndGet();
                log.warn("could not {} {}: {}", verb, item, e.toString());
                return;
            }
            retried.incrementAndGet();
            try {
                sleeper.sleep(backoff.after(attempt));
            } catch (InterruptedException e) {
                failed.incrementAndGet();
                log.warn("stopped while waiting to retry {}", item);
                return;
            }
            if (superseded(k)) {
                dropped.incrementAndGet();
                log.debug("{} superseded while waiting to retry", item);
                return;
            }
        }
    }

    private boolean superseded(String k) {
        lock.lock();
        try {
            return !running || pending.containsKey(k);
        } finally {
            lock.unlock();
        }
    }
}
