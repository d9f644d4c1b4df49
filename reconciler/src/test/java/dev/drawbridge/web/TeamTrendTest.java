package dev.drawbridge.web;

import dev.drawbridge.apply.ChangeSet;
import dev.drawbridge.gate.Decision;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.gate.GateResult;
import dev.drawbridge.gate.ImageVerdict;
import dev.drawbridge.gate.Verdict;
import dev.drawbridge.image.ImageReference;
import dev.drawbridge.reconcile.Owners;
import dev.drawbridge.reconcile.ReconcileOutcome;
import dev.drawbridge.values.CommitId;
import dev.drawbridge.values.EnvironmentName;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A team's blocked images per day come from the decision standing at each day's end; days before any are unknown. */
class TeamTrendTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T12:00:00Z"), ZoneOffset.UTC);
    static final Owners OWNERS = new Owners(Map.of("apps/v1/Deployment/shop/api", "team-shop"));

    static DecisionHistory.Entry entry(String env, String sha, Instant at, Verdict api, Verdict worker) {
        GateResult result = new GateResult(api == Verdict.BLOCK || worker == Verdict.BLOCK ? Decision.BLOCK : Decision.PASS,
                List.of(image("api", api), image("worker", worker)), List.of(), List.of(), List.of());
        GateReport report = new GateReport(EnvironmentName.of(env), CommitId.of(sha), "p", "app", result);
        ReconcileOutcome outcome = result.decision() == Decision.BLOCK ? new ReconcileOutcome.Blocked(report)
                : new ReconcileOutcome.Applied(report, ChangeSet.empty());
        return new DecisionHistory.Entry(EnvironmentName.of(env), sha, outcome, at, Duration.ofMillis(1), OWNERS);
    }

    static ImageVerdict image(String name, Verdict verdict) {
        String ref = "harbor.example.com/prod/shop/" + name + ":1.0";
        return new ImageVerdict(ref, ImageReference.parse(ref), null, List.of("apps/v1/Deployment/shop/" + name), verdict,
                List.of(), List.of());
    }

    @Test
    void countsEachTeamsBlockedImagesAtTheEndOfEachDayAndLeavesEarlierDaysUnknown() {
        List<DecisionHistory.Entry> entries = List.of(
                entry("production", "a1".repeat(20), Instant.parse("2026-12-01T09:00:00Z"), Verdict.BLOCK, Verdict.BLOCK),
                entry("acceptance", "b1".repeat(20), Instant.parse("2026-12-01T10:00:00Z"), Verdict.BLOCK, Verdict.PASS),
                entry("production", "a2".repeat(20), Instant.parse("2026-12-03T08:00:00Z"), Verdict.PASS, Verdict.BLOCK));

        Map<String, int[]> trends = TeamTrend.of(entries, CLOCK);

        int[] shop = trends.get("team-shop");
        assertThat(shop).hasSize(TeamTrend.DAYS);
        assertThat(shop[TeamTrend.DAYS - 4]).as("before the first decision").isEqualTo(-1);
        assertThat(shop[TeamTrend.DAYS - 3]).as("Dec 1: api blocked in production and acceptance").isEqualTo(2);
        assertThat(shop[TeamTrend.DAYS - 2]).as("Dec 2: nothing changed").isEqualTo(2);
        assertThat(shop[TeamTrend.DAYS - 1]).as("today: fixed in production").isEqualTo(1);
        assertThat(trends.get(dev.drawbridge.insight.TeamScore.UNOWNED)).as("worker has no owner")
                .endsWith(1, 1, 1);
    }

    @Test
    void aChartLeavesUnknownDaysOutAndSaysWhatItShows() {
        Sparkline line = Sparkline.of(new int[]{-1, -1, 2, 2, 0}, "blocked images of team-shop");

        assertThat(line.points().split(" ")).hasSize(3);
        assertThat(line.latest()).isZero();
        assertThat(line.max()).isEqualTo(2);
        assertThat(line.label()).isEqualTo("blocked images of team-shop: 0 now, at most 2 in the last 5 days");
        assertThat(Sparkline.of(new int[]{-1, -1}, "x").points()).isEmpty();
    }
}
