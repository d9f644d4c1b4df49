package dev.drawbridge.threads;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class KeptThreadsTest {

    /** The live threads of the pool named {@code name}. */
    private static List<Thread> threads(String name) {
        List<Thread> threads = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith(name + "-")) {
                threads.add(t);
            }
        }
        return threads;
    }

    /** Every thread of the pool waits for a task (none is between a task and the queue). */
    private static void awaitIdle(String name) {
        await().atMost(Duration.ofSeconds(10)).until(() -> threads(name).stream()
                .allMatch(t -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING));
    }

    @Test
    void tasksOneAfterTheOtherRunOnOneThreadInsteadOfANewOneEach() throws Exception {
        ExecutorService pool = KeptThreads.pool("kept-sequential", 8);
        try {
            for (int i = 0; i < 20; i++) {
                pool.submit(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);
                awaitIdle("kept-sequential");
            }
            assertThat(threads("kept-sequential")).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aNewThreadStartsOnlyWhenAllAreBusyAndNeverMoreThanMaxTheRestWaitInLine() throws Exception {
        ExecutorService pool = KeptThreads.pool("kept-busy", 5);
        CountDownLatch release = new CountDownLatch(1);
        try {
            List<Future<String>> running = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                running.add(pool.submit(() -> {
                    release.await();
                    return Thread.currentThread().getName();
                }));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> threads("kept-busy").size() == 3);
            for (int i = 0; i < 7; i++) {
                running.add(pool.submit(() -> {
                    release.await();
                    return Thread.currentThread().getName();
                }));
            }
            assertThat(threads("kept-busy")).hasSize(5);
            release.countDown();
            for (Future<String> task : running) {
                assertThat(task.get(10, TimeUnit.SECONDS)).startsWith("kept-busy-");
            }
            awaitIdle("kept-busy");
            // kept once started: an idle pool holds them, and the next task takes one of them
            pool.submit(() -> { }).get(10, TimeUnit.SECONDS);
            assertThat(threads("kept-busy")).hasSize(5).allMatch(Thread::isDaemon);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void aShutDownPoolRefusesTasksAndItsThreadsEnd() throws Exception {
        ExecutorService pool = KeptThreads.pool("kept-shutdown", 2);
        pool.submit(() -> { }).get(10, TimeUnit.SECONDS);
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(threads("kept-shutdown")).isEmpty();
        assertThatThrownBy(() -> pool.submit(() -> { })).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void aPoolOfNoThreadsIsRefused() {
        assertThatThrownBy(() -> KeptThreads.pool("none", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max must be at least 1");
    }
}
