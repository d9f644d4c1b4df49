package dev.drawbridge.insight;

import dev.drawbridge.gate.Verdict;
import dev.drawbridge.image.Severity;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import static dev.drawbridge.insight.Heads.NOW;
import static dev.drawbridge.insight.Heads.cve;
import static dev.drawbridge.insight.Heads.image;
import static dev.drawbridge.insight.Heads.record;
import static org.assertj.core.api.Assertions.assertThat;

/** The team scoreboard and the exceptions list, on hand-built gate results and decision records. */
class TeamsTest {

    static final String API = "harbor.example.com/prod/shop/api:1.4.2";
    static final String WEB = "harbor.example.com/prod/shop/web:2.0.0";
    static final String LEDGER = "harbor.example.com/prod/payments/ledger:3.1.0";
    static final LocalDate TODAY = LocalDate.ofInstant(NOW, ZoneOffset.UTC);

    final InsightEngine engine = new InsightEngine(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void countsEachTeamsImagesByVerdictAndRanksTheBestFirst() {
        Insight insight = engine.compute(List.of(
                Heads.production()
                        .image(image(API, Verdict.BLOCK, List.of("w/api"), cve("CVE-1", Severity.CRITICAL, "openssl", "3.0.15"),
                                cve("CVE-2", Severity.HIGH, "zlib", null)))
                        .image(image(LEDGER, Verdict.PASS, List.of("w/ledger")))
                        .owner("w/api", "team-shop").owner("w/ledger", "team-payments").state(),
                Heads.dev()
                        .image(image(WEB, Verdict.WARN, List.of("w/web"), cve("CVE-3", Severity.MEDIUM, "curl", "8.9.0")))
                        .image(image(API, Verdict.PASS, List.of("w/api")))
                        .owner("w/api", "team-shop").owner("w/web", "team-shop").state()));

        assertThat(insight.teams()).extracting(TeamScore::team).containsExactly("team-payments", "team-shop");
        TeamScore shop = insight.teams().get(1);
        assertThat(shop).isEqualTo(new TeamScore("team-shop", 3, 1, 1, 1, 1, 0, null, null, 0L, 2));
        TeamScore payments = insight.teams().get(0);
        assertThat(payments.daysSinceProductionBlock()).isNull();
        assertThat(payments.rank()).isEqualTo(1);
    }

    @Test
    void theMedianTimeToFixAndTheLastProductionBlockComeFromTheDecisionRecords() {
        Insight insight = engine.compute(List.of(Heads.production()
                .image(image(API, Verdict.PASS, List.of("w/api")))
                .owner("w/api", "team-shop")
                .history(
                        record("production", NOW.minus(Duration.ofDays(10)), "harbor.example.com/prod/shop/api:1.4.0", "BLOCK"),
                        record("production", NOW.minus(Duration.ofDays(10)).plusSeconds(2 * 3600), "harbor.example.com/prod/shop/api:1.4.1", "PASS"),
                        record("production", NOW.minus(Duration.ofDays(3)), "harbor.example.com/prod/shop/api:1.4.1", "BLOCK"),
                        record("production", NOW.minus(Duration.ofDays(3)).plusSeconds(6 * 3600), "harbor.example.com/prod/shop/api:1.4.2", "PASS"),
                        record("production", NOW.minus(Duration.ofDays(2)), "harbor.example.com/prod/shop/api:1.4.2", "PASS"))
                .state()));

        TeamScore shop = insight.team("team-shop").orElseThrow();
        assertThat(shop.medianTimeToFixHours()).isEqualTo(4.0); // fixes of 2 h and 6 h
        assertThat(shop.daysSinceProductionBlock()).isEqualTo(3L);
        assertThat(shop.passing()).isEqualTo(1);
    }

    @Test
    void withoutDecisionRecordsTheHistoryIsUnknown() {
        Insight insight = engine.compute(List.of(Heads.production()
                .image(image(API, Verdict.PASS, List.of("w/api"))).owner("w/api", "team-shop").state()));

        TeamScore shop = insight.team("team-shop").orElseThrow();
        assertThat(shop.medianTimeToFixHours()).isNull();
        assertThat(shop.daysSinceProductionBlock()).isNull();
    }

    @Test
    void anExceptionExpiringTodayStillAppliesWithZeroDaysLeft() {
        Insight insight = engine.compute(List.of(
                Heads.production().warnBefore(Duration.ofDays(14))
                        .exception("EXC-1", "CVE-2026-1", "team-shop", TODAY)
                        .exception("EXC-2", "CVE-2026-2", "team-shop", TODAY.plusDays(30))
                        .exception("EXC-3", "CVE-2026-3", "team-shop", TODAY.minusDays(1))
                        .exception("EXC-4", "CVE-2026-4", "team-payments", TODAY.plusDays(14))
                        .state()));

        assertThat(insight.exceptions()).extracting(ExceptionEntry::id).containsExactly("EXC-3", "EXC-1", "EXC-4", "EXC-2");
        ExceptionEntry today = insight.exceptions().get(1);
        assertThat(today.daysLeft()).isZero();
        assertThat(today.expired()).isFalse();
        assertThat(today.warning()).isTrue();
        assertThat(today.environment()).isEqualTo("production");
        assertThat(insight.exceptions().get(0).expired()).isTrue();
        assertThat(insight.exceptions().get(0).warning()).isFalse();
        assertThat(insight.exceptions().get(2).warning()).isTrue(); // 14 days left: the window's first day
        assertThat(insight.exceptions().get(3).warning()).isFalse();

        TeamScore shop = insight.team("team-shop").orElseThrow();
        assertThat(shop.exceptions()).isEqualTo(2); // the expired one no longer applies
        assertThat(shop.nextExpiry()).isEqualTo(TODAY);
        assertThat(insight.team("team-payments").orElseThrow().nextExpiry()).isEqualTo(TODAY.plusDays(14));
    }

    @Test
    void insightsKeepsTheFindingsOfAHeadAndRecomputesWhenAHeadChanges() {
        Insights insights = new Insights(Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(insights.current().priorities()).isEmpty();
        insights.update(Heads.production().image(image(API, Verdict.BLOCK, List.of("w/api"),
                cve("CVE-1", Severity.CRITICAL, "openssl", "3.0.15"))).state());
        Insight first = insights.current();
        assertThat(first.priorities()).extracting(Priority::finding).containsExactly("CVE-1");
        assertThat(insights.current()).isSameAs(first);

        insights.update(Heads.dev().image(image(WEB, Verdict.BLOCK, List.of("w/web"),
                cve("CVE-2", Severity.HIGH, "zlib", "1.3.1"))).state());
        assertThat(insights.current().priorities()).extracting(Priority::finding).containsExactly("CVE-1", "CVE-2");
    }
}
