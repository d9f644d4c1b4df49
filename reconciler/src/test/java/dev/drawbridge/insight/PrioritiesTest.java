package dev.drawbridge.insight;

import dev.drawbridge.gate.Rules;
import dev.drawbridge.gate.Verdict;
import dev.drawbridge.gate.Violation;
import dev.drawbridge.image.Severity;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;

import static dev.drawbridge.insight.Heads.cve;
import static dev.drawbridge.insight.Heads.image;
import static dev.drawbridge.insight.Heads.rule;
import static org.assertj.core.api.Assertions.assertThat;

/** The ranking of priorities on hand-built gate results: the single fix that unblocks the most comes first. */
class PrioritiesTest {

    static final String API = "harbor.example.com/prod/shop/api:1.4.2";
    static final String WEB = "harbor.example.com/prod/shop/web:2.0.0";
    static final String LEDGER = "harbor.example.com/prod/payments/ledger:3.1.0";

    final InsightEngine engine = new InsightEngine(Clock.fixed(Heads.NOW, ZoneOffset.UTC));

    static List<String> findings(Insight insight) {
        return insight.priorities().stream().map(Priority::finding).toList();
    }

    @Test
    void productionComesBeforeAcceptanceBeforeDev() {
        Insight insight = engine.compute(List.of(
                Heads.dev().image(image(API, Verdict.BLOCK, List.of("w/dev-1", "w/dev-2", "w/dev-3"),
                        cve("CVE-DEV", Severity.CRITICAL, "openssl", "3.0.15"))).state(),
                Heads.production().image(image(WEB, Verdict.BLOCK, List.of("w/prod"),
                        cve("CVE-PROD", Severity.HIGH, "zlib", "1.3.1"))).state(),
                Heads.acceptance().image(image(LEDGER, Verdict.BLOCK, List.of("w/acc-1", "w/acc-2"),
                        cve("CVE-ACC", Severity.CRITICAL, "curl", "8.9.0"))).state()));

        assertThat(findings(insight)).containsExactly("CVE-PROD", "CVE-ACC", "CVE-DEV");
        assertThat(insight.priorities()).extracting(Priority::rank).containsExactly(1, 2, 3);
        assertThat(insight.environments()).extracting(EnvironmentSummary::name)
                .containsExactly("production", "acceptance", "dev");
    }

    @Test
    void blockingComesBeforeWarningInTheSameEnvironment() {
        Insight insight = engine.compute(List.of(Heads.production()
                .image(image(API, Verdict.WARN, List.of("w/1", "w/2", "w/3"), cve("CVE-WARN", Severity.CRITICAL, "a", "1")))
                .image(image(WEB, Verdict.BLOCK, List.of("w/4"), cve("CVE-BLOCK", Severity.HIGH, "b", "2")))
                .state()));

        assertThat(findings(insight)).containsExactly("CVE-BLOCK", "CVE-WARN");
        assertThat(insight.priorities().get(0).blocking()).isTrue();
        assertThat(insight.priorities().get(1).blocking()).isFalse();
        assertThat(insight.priorities().get(1).unblocks()).isEqualTo("clears warnings on 3 workloads in production");
    }

    @Test
    void theFindingThatReachesMoreWorkloadsTeamsAndEnvironmentsComesFirst() {
        Insight byWorkloads = engine.compute(List.of(Heads.production()
                .image(image(API, Verdict.BLOCK, List.of("w/1"), cve("CVE-ONE", Severity.CRITICAL, "a", "1")))
                .image(image(WEB, Verdict.BLOCK, List.of("w/2", "w/3"), cve("CVE-TWO", Severity.HIGH, "b", "2")))
                .state()));
        assertThat(findings(byWorkloads)).containsExactly("CVE-TWO", "CVE-ONE");

        Insight byTeams = engine.compute(List.of(Heads.production()
                .image(image(API, Verdict.BLOCK, List.of("w/1", "w/2"), cve("CVE-ONE-TEAM", Severity.CRITICAL, "a", "1")))
                .image(image(WEB, Verdict.BLOCK, List.of("w/3", "w/4"), cve("CVE-TWO-TEAMS", Severity.HIGH, "b", "2")))
                .owner("w/1", "team-a").owner("w/2", "team-a").owner("w/3", "team-a").owner("w/4", "team-b")
                .state()));
        assertThat(findings(byTeams)).containsExactly("CVE-TWO-TEAMS", "CVE-ONE-TEAM");

        // the same workload count; one finding also reaches dev
        Insight byEnvironments = engine.compute(List.of(
                Heads.production()
                        .image(image(API, Verdict.BLOCK, List.of("w/1"), cve("CVE-A", Severity.CRITICAL, "a", "1")))
                        .image(image(WEB, Verdict.BLOCK, List.of("w/2", "w/3"), cve("CVE-B", Severity.HIGH, "b", "2")))
                        .state(),
                Heads.dev().image(image(API, Verdict.BLOCK, List.of("w/1"), cve("CVE-A", Severity.CRITICAL, "a", "1")))
                        .state()));
        assertThat(findings(byEnvironments)).containsExactly("CVE-A", "CVE-B");
        Priority first = byEnvironments.priorities().get(0);
        assertThat(first.environments()).containsExactly("production", "dev");
        assertThat(first.workloads()).isEqualTo(2);
        assertThat(first.unblocks()).isEqualTo("unblocks 2 workloads in production, dev");
    }

    @Test
    void fixableComesBeforeUnfixableThenTheWorseSeverity() {
        Insight insight = engine.compute(List.of(Heads.production()
                .image(image(API, Verdict.BLOCK, List.of("w/1"), cve("CVE-UNFIXED", Severity.CRITICAL, "glibc", null)))
                .image(image(WEB, Verdict.BLOCK, List.of("w/2"), cve("CVE-HIGH", Severity.HIGH, "zlib", "1.3.1")))
                .image(image(LEDGER, Verdict.BLOCK, List.of("w/3"), cve("CVE-CRITICAL", Severity.CRITICAL, "curl", "8.9.0")))
                .state()));

        assertThat(findings(insight)).containsExactly("CVE-CRITICAL", "CVE-HIGH", "CVE-UNFIXED");
        Priority unfixed = insight.priorities().get(2);
        assertThat(unfixed.fixable()).isFalse();
        assertThat(unfixed.fix()).contains("no fixed version of glibc yet").contains("harbor.example.com/prod/shop/api");
        Priority first = insight.priorities().get(0);
        assertThat(first.fixable()).isTrue();
        assertThat(first.severity()).isEqualTo("CRITICAL");
        assertThat(first.rule()).isEqualTo(Rules.SCAN_SEVERITY);
        assertThat(first.fix()).isEqualTo("update curl to 8.9.0 in harbor.example.com/prod/payments/ledger");
        assertThat(first.images()).containsExactly(LEDGER);
    }

    @Test
    void tiesAreBrokenByTheFindingSoTheOrderIsStableWhateverTheInputOrder() {
        Violation age = rule(Rules.IMAGE_AGE, "rebuild the image from an up-to-date base image");
        List<EnvironmentState> one = List.of(Heads.production()
                .image(image(API, Verdict.BLOCK, List.of("w/1"), cve("CVE-2026-0002", Severity.HIGH, "a", "1")))
                .image(image(WEB, Verdict.BLOCK, List.of("w/2"), cve("CVE-2026-0001", Severity.HIGH, "b", "2")))
                .image(image(LEDGER, Verdict.BLOCK, List.of("w/3"), age))
                .state());
        List<EnvironmentState> reversed = List.of(Heads.production()
                .image(image(LEDGER, Verdict.BLOCK, List.of("w/3"), age))
                .image(image(WEB, Verdict.BLOCK, List.of("w/2"), cve("CVE-2026-0001", Severity.HIGH, "b", "2")))
                .image(image(API, Verdict.BLOCK, List.of("w/1"), cve("CVE-2026-0002", Severity.HIGH, "a", "1")))
                .state());

        assertThat(findings(engine.compute(one))).containsExactly("CVE-2026-0001", "CVE-2026-0002", "image.age");
        assertThat(engine.compute(reversed).priorities()).isEqualTo(engine.compute(one).priorities());
        Priority rule = engine.compute(one).priorities().get(2);
        assertThat(rule.severity()).isNull();
        assertThat(rule.fix()).isEqualTo("rebuild the image from an up-to-date base image: harbor.example.com/prod/payments/ledger");
    }

    @Test
    void anImageSharedByTwoTeamsNamesBothAndUnownedWorkloadsAreUnowned() {
        Insight insight = engine.compute(List.of(Heads.production()
                .image(image(API, Verdict.BLOCK, List.of("apps/v1/Deployment/shop/api", "apps/v1/Deployment/pay/api",
                        "apps/v1/Deployment/misc/api"), cve("CVE-SHARED", Severity.CRITICAL, "openssl", "3.0.15")))
                .owner("apps/v1/Deployment/shop/api", "team-shop").owner("apps/v1/Deployment/pay/api", "team-payments")
                .state()));

        Priority p = insight.priorities().get(0);
        assertThat(p.teams()).containsExactly("team-payments", "team-shop", TeamScore.UNOWNED);
        assertThat(p.unblocks()).isEqualTo("unblocks 3 workloads in production");
        assertThat(insight.teams()).extracting(TeamScore::team)
                .containsExactlyInAnyOrder("team-payments", "team-shop", TeamScore.UNOWNED);
        assertThat(insight.teams()).allSatisfy(t -> {
            assertThat(t.images()).isEqualTo(1);
            assertThat(t.blocked()).isEqualTo(1);
            assertThat(t.fixableCriticalHigh()).isEqualTo(1);
        });
        assertThat(insight.teams().get(2).team()).isEqualTo(TeamScore.UNOWNED);
    }

    @Test
    void anEnvironmentInErrorShowsItsImagesAsUnknownNeverAsPassing() {
        Insight insight = engine.compute(List.of(
                Heads.production().image(image(API, Verdict.PASS, List.of("w/api"))).owner("w/api", "team-shop")
                        .error("promotion.evidence: could not read the decision records of environment acceptance")
                        .state(),
                Heads.dev().image(image(API, Verdict.PASS, List.of("w/api"))).owner("w/api", "team-shop").state()));

        Priority first = insight.priorities().get(0);
        assertThat(first.finding()).isEqualTo("gate.error");
        assertThat(first.blocking()).isTrue();
        assertThat(first.fixable()).isFalse();
        assertThat(first.environments()).containsExactly("production");
        assertThat(first.fix()).contains("make production checkable again").contains("promotion.evidence");
        TeamScore shop = insight.team("team-shop").orElseThrow();
        assertThat(shop.images()).isEqualTo(2);
        assertThat(shop.passing()).isEqualTo(1); // dev's; production's is unknown
        assertThat(shop.unknown()).isEqualTo(1);
        EnvironmentSummary production = insight.environment("production").orElseThrow();
        assertThat(production.imagesKnown()).isFalse();
        assertThat(production.blockedBy()).containsExactly("gate.error");
    }

    @Test
    void anImageThatCouldNotBeVerifiedIsABlockingUnfixableFinding() {
        Insight insight = engine.compute(List.of(Heads.production()
                .image(image(API, Verdict.ERROR, List.of("w/api"), rule(Rules.VERIFY_ERROR, "check the registry")))
                .owner("w/api", "team-shop").state()));

        Priority verify = insight.priorities().stream().filter(p -> p.finding().equals(Rules.VERIFY_ERROR)).findFirst()
                .orElseThrow();
        assertThat(verify.blocking()).isTrue();
        assertThat(verify.fixable()).isFalse();
        TeamScore shop = insight.team("team-shop").orElseThrow();
        assertThat(shop.passing()).isZero();
        assertThat(shop.unknown()).isEqualTo(1);
    }
}
