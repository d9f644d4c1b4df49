package dev.drawbridge.web;

import dev.drawbridge.apply.ChangeSet;
import dev.drawbridge.config.ClusterConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.gate.Decision;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.gate.GateResult;
import dev.drawbridge.reconcile.Reason;
import dev.drawbridge.reconcile.ReconcileLoop;
import dev.drawbridge.reconcile.ReconcileOutcome;
import dev.drawbridge.values.CommitId;
import dev.drawbridge.values.EnvironmentName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Status;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Health of the environments: pending is OUT_OF_SERVICE, blocked is UP, one failure is DOWN. */
class EnvironmentsHealthIndicatorTest {

    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    ReconcileLoop loop;

    static EnvironmentConfig env(String name) {
        return new EnvironmentConfig(EnvironmentName.of(name), "env/" + name, "app", ClusterConfig.DEFAULT, true, Duration.ofHours(1), null,
                false, false, Duration.ofMinutes(5), List.of());
    }

    static GateReport report(EnvironmentConfig env, Decision decision) {
        return new GateReport(env.name(), CommitId.of("a".repeat(40)), "b".repeat(40), env.path(),
                new GateResult(decision, List.of(), List.of(), List.of(), List.of()));
    }

    EnvironmentsHealthIndicator health(Function<EnvironmentConfig, ReconcileOutcome> reconciler) {
        loop = new ReconcileLoop(List.of(env("dev"), env("production")), reconciler, scheduler,
                new dev.drawbridge.retry.Backoff(Integer.MAX_VALUE, Duration.ofHours(1), Duration.ofHours(1)), Clock.systemUTC(), (e, o, t) -> { });
        return new EnvironmentsHealthIndicator(loop);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> details(EnvironmentsHealthIndicator health, String environment) {
        return (Map<String, Object>) health.health().getDetails().get(environment);
    }

    @AfterEach
    void stop() {
        loop.stop(Duration.ofSeconds(2));
    }

    @Test
    void isOutOfServiceUntilEveryEnvironmentWasReconciledOnce() {
        EnvironmentsHealthIndicator health = health(e -> new ReconcileOutcome.Applied(report(e, Decision.PASS), ChangeSet.empty()));

        assertThat(health.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(details(health, "dev").get("outcome")).isEqualTo("pending");
    }

    @Test
    void isUpWhenEnvironmentsAreAppliedOrBlocked() {
        EnvironmentsHealthIndicator health = health(e -> e.name().value().equals("dev")
                ? new ReconcileOutcome.Applied(report(e, Decision.PASS), ChangeSet.empty())
                : new ReconcileOutcome.Blocked(report(e, Decision.BLOCK)));
        loop.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> health.health().getStatus().equals(Status.UP));
        assertThat(details(health, "production"))
                .containsEntry("outcome", "blocked").containsEntry("reason", "GATE_BLOCKED")
                .containsEntry("decision", "BLOCK").containsEntry("revision", "a".repeat(40))
                .containsEntry("consecutiveFailures", 0).containsKey("finishedAt");
    }

    @Test
    void isDownWhenOneEnvironmentFailed() {
        EnvironmentsHealthIndicator health = health(e -> e.name().value().equals("dev")
                ? new ReconcileOutcome.Applied(report(e, Decision.PASS), ChangeSet.empty())
                : new ReconcileOutcome.Failed(report(e, Decision.ERROR), Reason.SOURCE_FAILED, "could not fetch", ChangeSet.empty()));
        loop.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> health.health().getStatus().equals(Status.DOWN));
        assertThat(details(health, "production"))
                .containsEntry("outcome", "failed").containsEntry("reason", "SOURCE_FAILED")
                .containsEntry("message", "could not fetch").containsEntry("consecutiveFailures", 1);
    }
}
