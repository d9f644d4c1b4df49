package dev.drawbridge.web;

import dev.drawbridge.apply.ChangeSet;
import dev.drawbridge.config.ClusterConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.gate.Decision;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.gate.GateResult;
import dev.drawbridge.gate.ImageVerdict;
import dev.drawbridge.gate.Verdict;
import dev.drawbridge.image.Digest;
import dev.drawbridge.image.ImageReference;
import dev.drawbridge.reconcile.EnvironmentStatus;
import dev.drawbridge.reconcile.ReconcileOutcome;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.drawbridge.promotion.Promotions;
import dev.drawbridge.values.CommitId;
import dev.drawbridge.values.EnvironmentName;

import static org.assertj.core.api.Assertions.assertThat;

/** A card says a promotion waits when the source environment applied image digests its target's head lacks. */
class PromotionWaitingTest {

    static EnvironmentConfig env(String name, String from) {
        return new EnvironmentConfig(EnvironmentName.of(name), "env/" + name, name, ClusterConfig.DEFAULT, true, Duration.ofMinutes(1),
                from == null ? null : EnvironmentName.of(from),
                false, false, Duration.ofMinutes(5), List.of());
    }

    static EnvironmentStatus applied(String env, String sha, String content) {
        String ref = "harbor.example.com/prod/shop/api:1.0";
        ImageVerdict image = new ImageVerdict(ref, ImageReference.parse(ref), Digest.sha256(content.getBytes(StandardCharsets.UTF_8)),
                List.of("apps/v1/Deployment/shop/api"), Verdict.PASS, List.of(), List.of());
        GateReport report = new GateReport(EnvironmentName.of(env), CommitId.of(sha), "p", env,
                new GateResult(Decision.PASS, List.of(image), List.of(), List.of(), List.of()));
        return new EnvironmentStatus(EnvironmentName.of(env), new ReconcileOutcome.Applied(report, ChangeSet.empty()), Instant.EPOCH, Duration.ZERO, 0, null);
    }

    final Map<String, EnvironmentStatus> statuses = new HashMap<>();
    final Map<String, Promotions.EdgeState> requests = new HashMap<>();

    Optional<PromotionWaiting> waiting(EnvironmentConfig target) {
        return PromotionWaiting.of(target, name -> Optional.ofNullable(statuses.get(name.value())),
                name -> Optional.ofNullable(requests.get(name.value())));
    }

    @Test
    void waitsWhenTheSourceAppliedADigestTheTargetLacks() {
        statuses.put("acceptance", applied("acceptance", "a".repeat(40), "new"));
        statuses.put("production", applied("production", "b".repeat(40), "old"));

        PromotionWaiting waiting = waiting(env("production", "acceptance")).orElseThrow();

        assertThat(waiting.from()).isEqualTo("acceptance");
        assertThat(waiting.revisionShort()).isEqualTo("a".repeat(12));
        assertThat(waiting.decisionPath()).isEqualTo("/environments/acceptance/decisions/" + "a".repeat(40));
        assertThat(waiting.images()).containsExactly("harbor.example.com/prod/shop/api:1.0");
        assertThat(waiting.request()).as("no promotion request kept").isNull();
    }

    @Test
    void showsThePromotionRequestOfTheWaitingRevisionWithItsLinkAndTheTargetsGate() {
        statuses.put("acceptance", applied("acceptance", "a".repeat(40), "new"));
        statuses.put("production", applied("production", "b".repeat(40), "old"));
        requests.put("production", new Promotions.EdgeState(EnvironmentName.of("acceptance"), "opened", "a".repeat(40),
                "https://github.com/acme/deploy/pull/42", "BLOCK", "opened", Instant.EPOCH));

        PromotionWaiting waiting = waiting(env("production", "acceptance")).orElseThrow();
        assertThat(waiting.request().requestUrl()).isEqualTo("https://github.com/acme/deploy/pull/42");
        assertThat(waiting.request().gate()).isEqualTo("BLOCK");
        assertThat(Pages.dashboard(new DashboardPage(List.of(EnvironmentCard.of(env("production", "acceptance"),
                statuses.get("production"), dev.drawbridge.reconcile.Owners.NONE, waiting, List.of(),
                java.time.Clock.systemUTC())), null, Moment.of(Instant.EPOCH, java.time.Clock.systemUTC()))))
                .contains("Promotion request: opened", "production's gate BLOCK", "href=\"https://github.com/acme/deploy/pull/42\"");

        requests.put("production", new Promotions.EdgeState(EnvironmentName.of("acceptance"), "opened", "c".repeat(40), null, null, "x",
                Instant.EPOCH));
        assertThat(waiting(env("production", "acceptance")).orElseThrow().request())
                .as("a request about another revision is not this one's").isNull();
    }

    @Test
    void nothingWaitsWhenTheTargetHasTheDigestsOrNoSourceIsConfigured() {
        statuses.put("acceptance", applied("acceptance", "a".repeat(40), "same"));
        statuses.put("production", applied("production", "b".repeat(40), "same"));

        assertThat(waiting(env("production", "acceptance"))).isEmpty();
        assertThat(waiting(env("production", null))).isEmpty();
        assertThat(waiting(env("production", "dev"))).as("the source has no outcome yet").isEmpty();
    }
}
