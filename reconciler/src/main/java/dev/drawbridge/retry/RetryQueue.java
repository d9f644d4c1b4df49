package dev.drawbridge.retry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The one bounded worker that sends what goes out (commit statuses, comments, notifications) off the caller's
 * thread: {@link #submit} queues an item and returns; one background thread delivers them in order. Only the
 * newest item per key is worth sending, so a newer one replaces a queued one (which counts as dropped); a full
 * queue drops its oldest. Retryable failures are tried again with the {@link Backoff}, unless a newer item for the
 * same key came in meanwhile. The caller never sees an exception; failures are logged and counted.
 *
 * <p>With {@link OwedDeliveries}, what is queued or being retried is also kept on disk: it is removed once
 * delivered, given up on or replaced, and what a stopped process still owed is queued again when the next one
 * starts ({@link #resume}), with the same backoff.
 *
 * @param <T> what is delivered
 */
public final class RetryQueue<T> implements AutoCloseable {

    /** Sends one item; throws what the far end answered. */
    @FunctionalInterface
    public interface Delivery<T> {
        void deliver(T item) throws Exception;
    }

    /** How an item is sent and retried. */
    public record Settings(int capacity, Backoff backoff, Sleeper sleeper) {
        public Settings {
            if (capacity < 1) {
                throw new IllegalArgumentException("Invalid capacity: " + capacity);
            }
            Objects.requireNonNull(backoff, "backoff");
            Objects.requireNonNull(sleeper, "sleeper");
        }
    }

    /** Items sent, given up on, retried, dropped (replaced, or pushed out of a full queue), and still queued. */
    public record Stats(long delivered, long failed, long retried, long dropped, int pending) {
    }

    private static final Logger log = LoggerFactory.getLogger(RetryQueue.class);

    private final String noun;
    private final String verb;
    private final Function<T, String> key;
    private final Delivery<T> delivery;
    private final Predicate<Exception> retryable;
    private final int capacity;
    private final Backoff backoff;
    private final Sleeper sleeper;
    private final OwedDeliveries<T> owed;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final LinkedHashMap<String, T> pending = new LinkedHashMap<>();
    private final Set<String> inFlight = new HashSet<>();
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
     * @param key       an item's key: a newer item with the same key replaces a queued one
     * @param retryable which failures are worth another attempt (a server error, a rate limit, no answer)
     * @param owed      where what is owed is kept across a restart; null: in memory only
     */
    public RetryQueue(String noun, String verb, String thread, Function<T, String> key, Delivery<T> delivery,
                      Predicate<Exception> retryable, Settings settings, OwedDeliveries<T> owed) {
        this.noun = noun;
        this.verb = verb;
        this.key = Objects.requireNonNull(key, "key");
        this.delivery = Objects.requireNonNull(delivery, "delivery");
        this.retryable = Objects.requireNonNull(retryable, "retryable");
        this.capacity = settings.capacity();
        this.backoff = settings.backoff();
        this.sleeper = settings.sleeper();
        this.owed = owed;
        this.worker = new Thread(this::work, thread);
        worker.setDaemon(true);
        worker.start();
    }

    /** Queues the item (and keeps it owed on disk, with a journal) and returns at once; never throws. */
    public void submit(T item) {
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
            enqueue(k, item);
            if (owed != null) {
                owed.owe(k, item);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues again what a stopped process still owed (see {@link OwedDeliveries#resume}), oldest first, unless
     * something newer for the same key is queued already; returns how many. Nothing without a journal.
     */
    public int resume() {
        if (owed == null) {
            return 0;
        }
        List<OwedDeliveries.Owed<T>> entries = owed.resume();
        int resumed = 0;
        lock.lock();
        try {
            if (!running) {
                return 0;
            }
            for (OwedDeliveries.Owed<T> entry : entries) {
                String k = key.apply(entry.item());
                if (!k.equals(entry.key()) || pending.containsKey(k) || inFlight.contains(k)) {
                    continue; // what is queued now is newer
                }
                enqueue(k, entry.item());
                resumed++;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (resumed > 0) {
            log.info("resumed {} {}(s) still owed from before the restart", resumed, noun);
        }
        return resumed;
    }

    /** Puts the item in the queue, in place of an older one with its key, else pushing out the oldest when full. */
    private void enqueue(String k, T item) {
        if (pending.remove(k) != null) {
            dropped.incrementAndGet();
            log.debug("{} replaces an older pending {}", item, noun);
        } else if (pending.size() >= capacity) {
            Iterator<Map.Entry<String, T>> oldest = pending.entrySet().iterator();
            Map.Entry<String, T> gone = oldest.next();
            oldest.remove();
            dropped.incrementAndGet();
            log.warn("{} queue full ({}); dropped {}", noun, capacity, gone.getValue());
            if (owed != null && !inFlight.contains(gone.getKey())) {
                owed.settle(gone.getKey());
            }
        }
        pending.put(k, item);
    }

    /** Waits until every queued item was sent or given up on; false when the timeout passed first. */
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

    /** Items sent, given up on, retried and dropped (replaced, or pushed out of a full queue), and still queued. */
    public Stats stats() {
        lock.lock();
        try {
            return new Stats(delivered.get(), failed.get(), retried.get(), dropped.get(), pending.size());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the worker; items still queued are not sent (call {@link #flush} first to send them), and with a
     * journal stay owed for the next process.
     */
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
                inFlight.add(next.getKey());
            } finally {
                lock.unlock();
            }
            boolean settled = false;
            try {
                settled = deliver(next.getKey(), next.getValue());
            } finally {
                lock.lock();
                try {
                    inFlight.remove(next.getKey());
                    if (settled && owed != null && !pending.containsKey(next.getKey())) {
                        owed.settle(next.getKey());
                    }
                    busy = false;
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** Delivers with retries; true when the item is settled (delivered, given up on, superseded), false when stopped. */
    private boolean deliver(String k, T item) {
        for (int attempt = 1; ; attempt++) {
            try {
                delivery.deliver(item);
                delivered.incrementAndGet();
                return true;
            } catch (RuntimeException e) {
                failed.incrementAndGet();
                log.warn("could not {} {}: {}", verb, item, e.toString());
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.warn("stopped while trying to {} {}{}", verb, item, owed == null ? "" : "; it stays owed for the next start");
                return owed == null;
            } catch (Exception e) {
                if (!retryable.test(e) || backoff.exhausted(attempt)) {
                    failed.incrementAndGet();
                    log.warn("could not {} {} (attempt {}): {}", verb, item, attempt, e.getMessage());
                    return true;
                }
                log.info("attempt {} to {} {} failed, will retry: {}", attempt, verb, item, e.getMessage());
            }
            retried.incrementAndGet();
            try {
                sleeper.sleep(backoff.delay(attempt));
            } catch (InterruptedException e) {
                log.warn("stopped while waiting to retry {}{}", item, owed == null ? "" : "; it stays owed for the next start");
                return owed == null;
            }
            if (!running) {
                log.info("stopped while waiting to retry {}{}", item, owed == null ? "" : "; it stays owed for the next start");
                return owed == null;
            }
            if (superseded(k)) {
                dropped.incrementAndGet();
                log.debug("{} superseded while waiting to retry", item);
                return true;
            }
        }
    }

    private boolean superseded(String k) {
        lock.lock();
        try {
            return pending.containsKey(k);
        } finally {
            lock.unlock();
        }
    }
}
