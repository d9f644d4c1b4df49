package dev.drawbridge.insight;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything insight computed at one time: the ranked priorities, the ranked teams, every exception and each
 * environment's summary.
 *
 * @param computedAt   when (by the injected clock)
 * @param priorities   one row per finding, rank 1 first
 * @param teams        one row per owner, best first
 * @param exceptions   every exception of every environment's policy, soonest expiry first
 * @param environments one summary per environment, closest to production first
 */
public record Insight(Instant computedAt, List<Priority> priorities, List<TeamScore> teams,
                      List<ExceptionEntry> exceptions, List<EnvironmentSummary> environments) {

    public static final Insight EMPTY = new Insight(Instant.EPOCH, List.of(), List.of(), List.of(), List.of());

    public Insight {
        Objects.requireNonNull(computedAt, "computedAt");
        priorities = List.copyOf(priorities);
        teams = List.copyOf(teams);
        exceptions = List.copyOf(exceptions);
        environments = List.copyOf(environments);
    }

    /** The first {@code n} priorities. */
    public List<Priority> top(int n) {
        return priorities.subList(0, Math.min(n, priorities.size()));
    }

    /** The first {@code n} priorities found in {@code environment} (ranks as in the whole list). */
    public List<Priority> top(String environment, int n) {
        return priorities.stream().filter(p -> p.environments().contains(environment)).limit(n).toList();
    }

    public Optional<TeamScore> team(String team) {
        return teams.stream().filter(t -> t.team().equals(team)).findFirst();
    }

    public Optional<EnvironmentSummary> environment(String name) {
        return environments.stream().filter(e -> e.name().equals(name)).findFirst();
    }
}
