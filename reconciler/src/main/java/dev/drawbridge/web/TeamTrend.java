package dev.drawbridge.web;

import dev.drawbridge.gate.ImageVerdict;
import dev.drawbridge.gate.Verdict;
import dev.drawbridge.insight.TeamScore;
import dev.drawbridge.values.EnvironmentName;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Each team's blocked images on each of the last {@value #DAYS} days (UTC), from the decisions serve keeps in
 * memory ({@link DecisionHistory}): at the end of a day (now, for today), every environment stands at its latest
 * decision made by then, and a team's count is the images (per environment) that decision BLOCKed in workloads
 * the team owns. A day before the first decision of any environment is unknown ({@code -1}), never zero.
 */
final class TeamTrend {

    static final int DAYS = 30;

    private TeamTrend() {
    }

    /** The counts of each team seen in {@code entries}, oldest day first ({@value #DAYS} values each). */
    static Map<String, int[]> of(List<DecisionHistory.Entry> entries, Clock clock) {
        Map<String, int[]> trends = new HashMap<>();
        for (DecisionHistory.Entry e : entries) {
            e.outcome().report().result().images().forEach(image -> teams(e, image).forEach(team -> trends.computeIfAbsent(
                    team, t -> unknown())));
        }
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        for (int day = 0; day < DAYS; day++) {
            Instant end = day == DAYS - 1 ? now
                    : today.minusDays(DAYS - 1 - day).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            Map<EnvironmentName, DecisionHistory.Entry> standing = new HashMap<>();
            for (DecisionHistory.Entry e : entries) {
                if (!e.finishedAt().isAfter(end)) {
                    standing.merge(e.environment(), e, (a, b) -> a.finishedAt().isAfter(b.finishedAt()) ? a : b);
                }
            }
            if (standing.isEmpty()) {
                continue; // before the first decision: unknown
            }
            Map<String, Set<String>> blocked = new HashMap<>();
            for (DecisionHistory.Entry e : standing.values()) {
                for (ImageVerdict image : e.outcome().report().result().images()) {
                    if (image.verdict() == Verdict.BLOCK) {
                        for (String team : teams(e, image)) {
                            blocked.computeIfAbsent(team, t -> new HashSet<>()).add(e.environment() + " " + image.reference());
                        }
                    }
                }
            }
            for (Map.Entry<String, int[]> team : trends.entrySet()) {
                team.getValue()[day] = blocked.getOrDefault(team.getKey(), Set.of()).size();
            }
        }
        return trends;
    }

    private static Set<String> teams(DecisionHistory.Entry e, ImageVerdict image) {
        Set<String> owners = e.owners().of(image.workloads());
        return owners.isEmpty() ? Set.of(TeamScore.UNOWNED) : owners;
    }

    private static int[] unknown() {
        int[] counts = new int[DAYS];
        java.util.Arrays.fill(counts, -1);
        return counts;
    }
}
