package dev.drawbridge.apply;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads that read from clusters ahead of need, while the gate runs (the live state of an environment,
 * whether its next decision record exists): four daemon threads at most for every applier and store together,
 * gone when idle. Reads are short, and a serve of many environments needs no more.
 */
public final class ReadAhead {

    public static final Executor POOL = pool();

    private ReadAhead() {
    }

    private static ThreadPoolExecutor pool() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, "cluster-read-ahead");
            thread.setDaemon(true);
            return thread;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
