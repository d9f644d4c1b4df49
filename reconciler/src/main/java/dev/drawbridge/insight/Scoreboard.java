package dev.drawbridge.insight;

import dev.drawbridge.gate.Decision;
import dev.drawbridge.gate.ImageVerdict;
import dev.drawbridge.gate.Verdict;
import dev.drawbridge.gate.Violation;
import dev.drawbridge.image.Severity;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One row per owner, ranked best first: {@code unowned} last; then fewer blocked images, fewer open fixable
 * CRITICAL/HIGH findings, fewer unknown images, longer since production was last blocked (never is best),
 * fewer warned images, a shorter median time to fix (none known last), and the team's name.
 */
final class Scoreboard {

    private static final Comparator<TeamScore> BEST_FIRST = Comparator
            .comparing((TeamScore t) -> t.team().equals(TeamScore.UNOWNED))
            .thenComparingInt(TeamScore::blocked)
            .thenComparingInt(TeamScore::fixableCriticalHigh)
            .thenComparingInt(TeamScore::unknown)
            .thenComparingLong(t -> t.daysSinceProductionBlock() == null ? Long.MIN_VALUE : -t.daysSinceProductionBlock())
            .thenComparingInt(TeamScore::warned)
            .thenComparingDouble(t -> t.medianTimeToFixHours() == null ? Double.MAX_VALUE : t.medianTimeToFixHours())
            .thenComparing(TeamScore::team);

    /** What is counted of one team while the rows are made. */
    private static final class Tally {
        final Set<String> images = new HashSet<>();
        int passing;
        int blocked;
        int warned;
        final Set<String> fixable = new HashSet<>();
        final Set<String> exceptions = new HashSet<>();
        LocalDate nextExpiry;
        final List<Duration> fixes = new ArrayList<>();
        Instant lastProductionBlock;
    }

    private Scoreboard() {
    }

    static List<TeamScore> rank(List<EnvironmentState> environments, List<ExceptionEntry> exceptions, Instant now) {
        Map<String, Tally> tallies = new TreeMap<>();
        Map<String, Set<String>> teamsOfImage = new HashMap<>();
        int production = environments.stream().mapToInt(EnvironmentState::order).max().orElse(0);
        for (EnvironmentState env : environments) {
            boolean known = env.report().result().decision() != Decision.ERROR;
            Set<String> counted = new HashSet<>();
            for (ImageVerdict image : env.report().result().images()) {
                Set<String> teams = Findings.teams(env, image);
                teamsOfImage.computeIfAbsent(image.image().name(), k -> new TreeSet<>()).addAll(teams);
                for (String team : teams) {
                    Tally t = tallies.computeIfAbsent(team, k -> new Tally());
                    if (counted.add(team + "\n" + image.image().normalized())) {
                        t.images.add(env.name() + "\n" + image.image().normalized());
                        count(t, image.verdict(), known);
                    }
                    for (Violation v : image.violations()) {
                        if (v.id() != null && v.fixedIn() != null
                                && (v.severity() == Severity.CRITICAL || v.severity() == Severity.HIGH)) {
                            t.fixable.add(v.id() + "\n" + image.image().name());
                        }
                    }
                    if (env.order() == production && image.verdict() == Verdict.BLOCK) {
                        t.lastProductionBlock = now; // blocked right now
                    }
                }
            }
        }
        for (ExceptionEntry x : exceptions) {
            if (x.expired()) {
                continue;
            }
            Tally t = tallies.computeIfAbsent(x.owner(), k -> new Tally());
            t.exceptions.add(x.id());
            if (t.nextExpiry == null || x.expires().isBefore(t.nextExpiry)) {
                t.nextExpiry = x.expires();
            }
        }
        history(environments, production, teamsOfImage, tallies);

        List<TeamScore> rows = new ArrayList<>();
        tallies.forEach((team, t) -> rows.add(new TeamScore(team, t.images.size(), t.passing, t.blocked, t.warned,
                t.fixable.size(), t.exceptions.size(), t.nextExpiry, median(t.fixes),
                t.lastProductionBlock == null ? null : Math.max(0, Duration.between(t.lastProductionBlock, now).toDays()),
                0)));
        rows.sort(BEST_FIRST);
        List<TeamScore> ranked = new ArrayList<>();
        for (TeamScore row : rows) {
            ranked.add(row.withRank(ranked.size() + 1));
        }
        return ranked;
    }

    /** In an environment in ERROR only a BLOCK is known; everything else there is unknown, never passing. */
    private static void count(Tally t, Verdict verdict, boolean known) {
        switch (verdict) {
            case BLOCK -> t.blocked++;
            case PASS -> t.passing += known ? 1 : 0;
            case WARN -> t.warned += known ? 1 : 0;
            case ERROR -> { } // not verified: unknown
        }
    }

    /** Times to fix, and production's last block, from the decision records; images are a team's by name. */
    private static void history(List<EnvironmentState> environments, int production,
                                Map<String, Set<String>> teamsOfImage, Map<String, Tally> tallies) {
        for (EnvironmentState env : environments) {
            if (env.history() == null) {
                continue;
            }
            for (History.Fix fix : History.fixes(env.history())) {
                for (String team : teamsOfImage.getOrDefault(fix.imageName(), Set.of())) {
                    tallies.get(team).fixes.add(fix.took());
                }
            }
            if (env.order() != production) {
                continue;
            }
            History.lastBlocked(env.history()).forEach((name, at) -> {
                for (String team : teamsOfImage.getOrDefault(name, Set.of())) {
                    Tally t = tallies.get(team);
                    if (t.lastProductionBlock == null || at.isAfter(t.lastProductionBlock)) {
                        t.lastProductionBlock = at;
                    }
                }
            });
        }
    }

    /** The median in hours, to one decimal; null for none. */
    static Double median(List<Duration> durations) {
        if (durations.isEmpty()) {
            return null;
        }
        List<Long> millis = durations.stream().map(Duration::toMillis).sorted().toList();
        int n = millis.size();
        double median = n % 2 == 1 ? millis.get(n / 2) : (millis.get(n / 2 - 1) + millis.get(n / 2)) / 2.0;
        return Math.round(median / 360_000.0) / 10.0;
    }
}
