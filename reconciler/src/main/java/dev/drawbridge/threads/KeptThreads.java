package dev.drawbridge.threads;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pool of daemon threads that are started as the load needs them and then kept: a task goes to an idle thread
 * if there is one, else to a new thread while there are fewer than {@code max}, else it waits in line. So the
 * pool holds as many threads as the most tasks that ever ran at once (never more than {@code max}), and that
 * number does not move up and down with the load: a pool that let idle threads go would start them again on the
 * next burst, and its thread count would follow the schedule of reconciles (docs/scale.md, the soak).
 *
 * <p>A plain {@link ThreadPoolExecutor} of {@code max} core threads would start a new thread for each of the first
 * {@code max} tasks even when others are idle; this one only when none is.
 */
public final class KeptThreads {

    private KeptThreads() {
    }

    /**
     * @param name threads are named {@code name-1}, {@code name-2}, ...
     * @param max  the most threads the pool ever holds
     */
    public static ExecutorService pool(String name, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, not " + max);
        }
        AtomicInteger n = new AtomicInteger();
        HandOff queue = new HandOff();
        // no core threads, and the others never time out: a thread, once started, stays until shutdown
        return new ThreadPoolExecutor(0, max, Long.MAX_VALUE, TimeUnit.NANOSECONDS, queue, task -> {
            Thread t = new Thread(task, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, (task, pool) -> {
            // every thread busy and the pool at max: the task waits in line for the first one free
            if (pool.isShutdown()) {
                throw new RejectedExecutionException(name + " is shut down");
            }
            queue.put(task);
        });
    }

    /**
     * The pool's queue: {@link #offer} succeeds only by handing the task to a thread that waits for one (an idle
     * thread), so that the pool starts a new thread when none is idle; {@link #put} queues it.
     */
    private static final class HandOff extends LinkedTransferQueue<Runnable> {

        @Override
        public boolean offer(Runnable task) {
            return tryTransfer(task);
        }
    }
}
