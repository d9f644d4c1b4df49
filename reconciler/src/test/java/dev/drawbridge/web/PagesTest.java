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
import dev.drawbridge.insight.ExceptionEntry;
import dev.drawbridge.insight.Insight;
import dev.drawbridge.insight.Priority;
import dev.drawbridge.insight.TeamScore;
import dev.drawbridge.reconcile.EnvironmentStatus;
import dev.drawbridge.reconcile.Owners;
import dev.drawbridge.reconcile.Reason;
import dev.drawbridge.reconcile.ReconcileOutcome;
import dev.drawbridge.values.CommitId;
import dev.drawbridge.values.EnvironmentName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The pages escape every value that came from Git, a registry or a policy, wherever it is shown. */
class PagesTest {

    static final String X = "<img src=x onerror=alert('x')>\"&";
    /** As jte escapes element content: {@code & < >} (quotes are harmless there; attribute values escape them too). */
    static final String ESCAPED = "&lt;img src=x onerror=alert('x')&gt;\"&amp;";
    static final String SHA = "a".repeat(40);

    static final EnvironmentConfig ENV = new EnvironmentConfig(EnvironmentName.of("production"), "env/production", "app", ClusterConfig.DEFAULT,
            true, Duration.ofMinutes(1), null, false, false, Duration.ofMinutes(5), List.of());

    static ReconcileOutcome hostileOutcome() {
        Violation v = new Violation("scan.severity", "message " + X, "fix " + X, "CVE-" + X, null, "pkg " + X, "1.0 " + X);
        ImageVerdict image = new ImageVerdict("harbor.example.com/prod/api:1.0 " + X,
                ImageReference.parse("harbor.example.com/prod/api:1.0"), Digest.sha256("x".getBytes(StandardCharsets.UTF_8)),
                List.of("apps/v1/Deployment/shop/" + X), Verdict.BLOCK, List.of(v), List.of("accepted " + X));
        GateResult result = new GateResult(Decision.ERROR, List.of(image),
                List.of(Violation.of("manifest.network-policy", "namespace " + X, "add " + X)),
                List.of("error " + X), List.of("skipped " + X));
        return new ReconcileOutcome.Failed(new GateReport(EnvironmentName.of("production"), CommitId.of(SHA), "b".repeat(40), "app/" + X, result),
                Reason.GATE_ERROR, "failed " + X, ChangeSet.empty());
    }

    @Test
    void theDecisionPageEscapesEveryValue() {
        ReconcileOutcome outcome = hostileOutcome();
        DecisionHistory.Entry entry = new DecisionHistory.Entry(EnvironmentName.of("production"), SHA, outcome, Instant.now(), Duration.ofMillis(5));

        String html = Pages.decision(DecisionPage.of(ENV, entry, List.of(entry), Clock.systemUTC()));

        assertThat(html).doesNotContain(X).doesNotContain("<img");
        for (String shown : List.of("message ", "fix ", "CVE-", "pkg ", "1.0 ", "accepted ", "namespace ", "add ",
                "error ", "skipped ", "failed ", "app/", "apps/v1/Deployment/shop/")) {
            assertThat(html).contains(shown + ESCAPED);
        }
    }

    @Test
    void theDashboardEscapesTheLastMessage() {
        EnvironmentStatus status = new EnvironmentStatus(EnvironmentName.of("production"), hostileOutcome(), Instant.now(), Duration.ofMillis(5), 1, null);

        String html = Pages.dashboard(new DashboardPage(List.of(EnvironmentCard.of(ENV, status, Owners.NONE, null, List.of(),
                Clock.systemUTC())), null, Moment.NEVER));

        assertThat(html).doesNotContain(X).contains("failed " + ESCAPED)
                .contains("href=\"/environments/production/decisions/" + SHA + "\"");
    }

    static final String SCRIPT = "<script>alert(1)</script>";
    static final String SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;";

    @Test
    void theDashboardEscapesAnOwnerLabelWhereverItShowsIt() {
        EnvironmentStatus status = new EnvironmentStatus(EnvironmentName.of("production"), hostileOutcome(), Instant.now(), Duration.ofMillis(5), 1, null);
        Owners owners = new Owners(java.util.Map.of("apps/v1/Deployment/shop/" + X, SCRIPT));
        Priority priority = new Priority(1, "CVE-" + X, "scan.severity", "CRITICAL", true, "fix " + X, List.of("img " + X),
                List.of(SCRIPT), List.of("production"), 1, true);
        InsightPages.PriorityRow row = InsightPages.row(priority, env -> "/environments/production/decisions/" + SHA);

        String html = Pages.dashboard(new DashboardPage(List.of(EnvironmentCard.of(ENV, status, owners, null, List.of(row),
                Clock.systemUTC())), row, Moment.NEVER));

        assertThat(html).doesNotContain("<script").doesNotContain(X).contains(">" + SCRIPT_ESCAPED + "<")
                .contains("href=\"/teams#team-&lt;script>alert(1)&lt;/script>\"", "fix " + ESCAPED);
    }

    @Test
    void thePrioritiesTeamsAndExceptionsPagesEscapeOwnersReasonsAndFixes() {
        Clock clock = Clock.fixed(Instant.parse("2026-12-03T12:00:00Z"), java.time.ZoneOffset.UTC);
        Insight insight = new Insight(clock.instant(),
                List.of(new Priority(1, "CVE-" + X, "scan.severity", "CRITICAL", true, "fix " + X, List.of("img " + X),
                        List.of(SCRIPT), List.of("production"), 1, true)),
                List.of(new TeamScore(SCRIPT, 2, 1, 1, 0, 1, 1, LocalDate.parse("2026-12-10"), null, 0L, 1)),
                List.of(new ExceptionEntry("EXC-1", "production", "CVE-" + X, List.of("img " + X), SCRIPT, "reason " + X,
                        LocalDate.parse("2026-12-03"), 0, true)),
                List.of());

        String priorities = Pages.priorities(InsightPages.priorities(insight, env -> null, clock));
        String teams = Pages.teams(InsightPages.teams(insight, java.util.Map.of(), clock));
        String exceptions = Pages.exceptions(InsightPages.exceptions(insight, clock));

        for (String html : List.of(priorities, teams, exceptions)) {
            assertThat(html).doesNotContain("<script").doesNotContain(X).contains(SCRIPT_ESCAPED);
        }
        assertThat(priorities).contains("fix " + ESCAPED, "CVE-" + ESCAPED, "img " + ESCAPED);
        assertThat(teams).contains("2026-12-10, 7 days left", "blocked now");
        assertThat(exceptions).contains("reason " + ESCAPED, "expires today");
    }
}
