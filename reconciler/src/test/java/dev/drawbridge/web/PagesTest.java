package dev.drawbridge.web;

import dev.drawbridge.apply.ChangeSet;
import dev.drawbridge.config.ClusterConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.gate.Decision;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.gate.GateResult;
import dev.drawbridge.gate.ImageVerdict;
import dev.drawbridge.gate.Verdict;
import dev.drawbridge.gate.Violation;
import dev.drawbridge.image.Digest;
import dev.drawbridge.image.ImageReference;
import dev.drawbridge.reconcile.EnvironmentStatus;
import dev.drawbridge.reconcile.Owners;
import dev.drawbridge.reconcile.Reason;
import dev.drawbridge.reconcile.ReconcileOutcome;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The pages escape every value that came from Git, a registry or a policy, wherever it is shown. */
class PagesTest {

    static final String X = "<img src=x onerror=alert('x')>\"&";
    /** As jte escapes element content: {@code & < >} (quotes are harmless there; attribute values escape them too). */
    static final String ESCAPED = "&lt;img src=x onerror=alert('x')&gt;\"&amp;";
    static final String SHA = "a".repeat(40);

    static final EnvironmentConfig ENV = new EnvironmentConfig("production", "env/production", "app", ClusterConfig.DEFAULT,
            true, Duration.ofMinutes(1), null, false, false, Duration.ofMinutes(5), List.of());

    static ReconcileOutcome hostileOutcome() {
        Violation v = new Violation("scan.severity", "message " + X, "fix " + X, "CVE-" + X, null, "pkg " + X, "1.0 " + X);
        ImageVerdict image = new ImageVerdict("harbor.example.com/prod/api:1.0 " + X,
                ImageReference.parse("harbor.example.com/prod/api:1.0"), Digest.sha256("x".getBytes(StandardCharsets.UTF_8)),
                List.of("apps/v1/Deployment/shop/" + X), Verdict.BLOCK, List.of(v), List.of("accepted " + X));
        GateResult result = new GateResult(Decision.ERROR, List.of(image),
                List.of(Violation.of("manifest.network-policy", "namespace " + X, "add " + X)),
                List.of("error " + X), List.of("skipped " + X));
        return new ReconcileOutcome.Failed(new GateReport("production", SHA, "b".repeat(40), "app/" + X, result),
                Reason.GATE_ERROR, "failed " + X, ChangeSet.empty());
    }

    @Test
    void theDecisionPageEscapesEveryValue() {
        ReconcileOutcome outcome = hostileOutcome();
        DecisionHistory.Entry entry = new DecisionHistory.Entry("production", SHA, outcome, Instant.now(), Duration.ofMillis(5));

        String html = Pages.decision(DecisionPage.of(ENV, entry, List.of(entry), Clock.systemUTC()));

        assertThat(html).doesNotContain(X).doesNotContain("<img");
        for (String shown : List.of("message ", "fix ", "CVE-", "pkg ", "1.0 ", "accepted ", "namespace ", "add ",
                "error ", "skipped ", "failed ", "app/", "apps/v1/Deployment/shop/")) {
            assertThat(html).contains(shown + ESCAPED);
        }
    }

    @Test
    void theDashboardEscapesTheLastMessage() {
        EnvironmentStatus status = new EnvironmentStatus("production", hostileOutcome(), Instant.now(), Duration.ofMillis(5), 1, null);

        String html = Pages.dashboard(new DashboardPage(List.of(EnvironmentCard.of(ENV, status, Owners.NONE, null,
                Clock.systemUTC())), Moment.NEVER));

        assertThat(html).doesNotContain(X).contains("failed " + ESCAPED)
                .contains("href=\"/environments/production/decisions/" + SHA + "\"");
    }
}
