package dev.drawbridge.reconcile;

import dev.drawbridge.apply.ChangeSet;
import dev.drawbridge.config.ClusterConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.gate.GateResult;
import dev.drawbridge.retry.Backoff;
import dev.drawbridge.values.CommitId;
import dev.drawbridge.values.EnvironmentName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scheduling, one run per environment, triggers, retries with backoff, graceful stop. What the loop does next is
 * read from the delays it asks its scheduler for, never from how long a test waited.
 */
class ReconcileLoopTest {

    /** A real scheduler that keeps every delay it was asked for, and tells when it is shut down. */
    static final class RecordingScheduler extends ScheduledThreadPoolExecutor {
        final List<Duration> delays = new CopyOnWriteArrayList<>();
        final CountDownLatch shuttingDown = new CountDownLatch(1);

        RecordingScheduler() {
            super(4);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            delays.add(Duration.of(delay, unit.toChronoUnit()));
            return super.schedule(command, delay, unit);
        }

        @Override
        public void shutdown() {
            shuttingDown.countDown();
            super.shutdown();
        }
    }

    final RecordingScheduler scheduler = new RecordingScheduler();
    final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    ReconcileLoop loop;

    static EnvironmentConfig env(String name, Duration interval) {
        return new EnvironmentConfig(EnvironmentName.of(name), "env/" + name, "app", ClusterConfig.DEFAULT, true, interval, null, false,
                false, Duration.ofMinutes(5), List.of());
    }

    static ReconcileOutcome applied(EnvironmentConfig env) {
        return new ReconcileOutcome.Applied(new GateReport(env.name(), CommitId.of("a".repeat(40)), "b".repeat(40), env.path(),
                GateResult.error(List.of())), ChangeSet.empty());
    }

    static ReconcileOutcome failed(EnvironmentConfig env, Reason reason) {
        return new ReconcileOutcome.Failed(new GateReport(env.name(), null, null, env.path(), GateResult.error(List.of("x"))),
                reason, "x", ChangeSet.empty());
    }

    ReconcileLoop loop(List<EnvironmentConfig> envs, Function<EnvironmentConfig, ReconcileOutcome> reconciler) {
        loop = new ReconcileLoop(envs, e -> {
            runs.computeIfAbsent(e.name().value(), k -> new AtomicInteger()).incrementAndGet();
            return reconciler.apply(e);
        }, scheduler, new Backoff(Integer.MAX_VALUE, Duration.ofMillis(50), Duration.ofMillis(50)), Clock.systemUTC(), (e, o, t) -> { });
        return loop;
    }

    int runs(String env) {
        return runs.getOrDefault(env, new AtomicInteger()).get();
    }

    @AfterEach
    void stop() {
        if (loop != null) {
            loop.stop(Duration.ofSeconds(2));
        }
        scheduler.shutdownNow();
    }

    @Test
    void reconcilesEveryEnvironmentAtStartAndThenOnItsInterval() {
        loop(List.of(env("dev", Duration.ofMillis(100)), env("production", Duration.ofHours(1))), ReconcileLoopTest::applied).start();

        await().atMost(Duration.ofSeconds(30)).until(() -> runs("dev") >= 3);
        assertThat(runs("production")).isEqualTo(1);
        assertThat(loop.status(EnvironmentName.of("production")).orElseThrow().healthy()).isTrue();
    }

    @Test
    void runsOneReconcilePerEnvironmentAtATimeAndATriggerDuringARunRunsItOnceMore() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        loop(List.of(env("dev", Duration.ofHours(1))), e -> {
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            concurrent.decrementAndGet();
            return applied(e);
        }).start();
        await().until(() -> runs("dev") == 1);

        assertThat(loop.trigger(EnvironmentName.of("dev"))).isTrue();
        assertThat(loop.trigger(EnvironmentName.of("dev"))).isTrue();
        release.countDown();

        // at start, right after the first run (the triggers), then after the second: its interval
        await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.delays.size() == 3);
        assertThat(scheduler.delays).as("two triggers during one run coalesce into one more run")
                .containsExactly(Duration.ZERO, Duration.ZERO, Duration.ofHours(1));
        assertThat(runs("dev")).isEqualTo(2);
        assertThat(maxConcurrent.get()).isEqualTo(1);
        assertThat(loop.trigger(EnvironmentName.of("staging"))).isFalse();
    }

    @Test
    void anEnvironmentAnotherReplicaHoldsIsNotReconciledHereAndItsTriggerIsPassedOn() {
        java.util.Set<String> held = ConcurrentHashMap.newKeySet();
        held.add("dev");
        List<String> passedOn = new java.util.concurrent.CopyOnWriteArrayList<>();
        Ownership ownership = new Ownership() {
            @Override
            public boolean holds(EnvironmentName environment) {
                return held.contains(environment.value());
            }

            @Override
            public void passOn(EnvironmentName environment) {
                passedOn.add(environment.value());
            }
        };
        loop = new ReconcileLoop(List.of(env("dev", Duration.ofHours(1)), env("production", Duration.ofHours(1))), e -> {
            runs.computeIfAbsent(e.name().value(), k -> new AtomicInteger()).incrementAndGet();
            return applied(e);
        }, scheduler, new Backoff(Integer.MAX_VALUE, Duration.ofMillis(50), Duration.ofMillis(50)), Clock.systemUTC(), (e, o, t) -> { }, ownership);
        loop.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> runs("dev") == 1);

        assertThat(loop.trigger(EnvironmentName.of("production"))).isTrue();
        assertThat(passedOn).containsExactly("production");
        held.add("production"); // this replica takes the Lease: the Lease listener triggers it
        loop.trigger(EnvironmentName.of("production"));
        await().atMost(Duration.ofSeconds(30)).until(() -> runs("production") == 1);
        assertThat(passedOn).containsExactly("production");
    }

    @Test
    void retriesATransientFailureWithBackoffBeforeTheInterval() {
        AtomicInteger calls = new AtomicInteger();
        loop(List.of(env("dev", Duration.ofHours(1))),
                e -> calls.incrementAndGet() < 3 ? failed(e, Reason.GATE_ERROR) : applied(e)).start();

        await().atMost(Duration.ofSeconds(30)).until(() -> runs("dev") == 3);
        await().until(() -> loop.status(EnvironmentName.of("dev")).orElseThrow().healthy());
        assertThat(loop.status(EnvironmentName.of("dev")).orElseThrow().consecutiveFailures()).isZero();
    }

    @Test
    void aRenderFailureWaitsForTheIntervalAndIsUnhealthy() throws Exception {
        loop(List.of(env("dev", Duration.ofHours(1))), e -> failed(e, Reason.RENDER_FAILED)).start();

        await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.delays.size() == 2);
        assertThat(scheduler.delays).as("the next run is the interval's, not a retry's (50 ms)")
                .containsExactly(Duration.ZERO, Duration.ofHours(1));
        assertThat(runs("dev")).isEqualTo(1);
        EnvironmentStatus status = loop.status(EnvironmentName.of("dev")).orElseThrow();
        assertThat(status.healthy()).isFalse();
        assertThat(status.consecutiveFailures()).isEqualTo(1);
    }

    @Test
    void stoppingLetsARunningReconcileFinish() {
        AtomicBoolean finished = new AtomicBoolean();
        loop(List.of(env("dev", Duration.ofHours(1))), e -> {
            try {
                // still running when the loop is told to stop
                if (!scheduler.shuttingDown.await(30, TimeUnit.SECONDS)) {
                    return failed(e, Reason.APPLY_FAILED);
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return failed(e, Reason.APPLY_FAILED);
            }
            finished.set(true);
            return applied(e);
        }).start();
        await().until(() -> runs("dev") == 1);

        loop.stop(Duration.ofSeconds(30));

        assertThat(finished).isTrue();
    }

    @Test
    void backoffDoublesUpToItsCapWithJitter() {
        Backoff policy = Backoff.exponential(Duration.ofSeconds(5), Duration.ofMinutes(5), 0.2, new java.util.Random(1));
        assertThat(policy.delay(1)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(6));
        assertThat(policy.delay(2)).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(12));
        assertThat(policy.delay(20)).isBetween(Duration.ofMinutes(4), Duration.ofMinutes(5));
    }
}
