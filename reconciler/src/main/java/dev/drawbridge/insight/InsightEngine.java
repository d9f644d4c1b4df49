package dev.drawbridge.insight;

import dev.drawbridge.gate.Decision;
import dev.drawbridge.gate.ImageVerdict;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Computes the priorities, the scoreboard, the exceptions and the environment summaries from the states of
 * every environment (docs/priorities.md). Pure: the same states at the same time give the same insight.
 */
public final class InsightEngine {

    private final Clock clock;

    public InsightEngine(Clock clock) {
        this.clock = clock;
    }

    public Insight compute(List<EnvironmentState> environments) {
        List<Occurrence> occurrences = new ArrayList<>();
        for (EnvironmentState env : environments) {
            occurrences.addAll(Findings.of(env));
        }
        return compute(environments, occurrences);
    }

    /** With the occurrences of each environment already found (see {@link Insights}, which keeps them per head). */
    Insight compute(List<EnvironmentState> environments, List<Occurrence> occurrences) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        List<EnvironmentState> ordered = environments.stream()
                .sorted(Comparator.comparingInt((EnvironmentState e) -> -e.order())).toList();
        List<Priority> priorities = Priorities.rank(occurrences);
        List<ExceptionEntry> exceptions = ExceptionList.of(ordered, today);
        List<TeamScore> teams = Scoreboard.rank(ordered, exceptions, now);
        List<EnvironmentSummary> summaries = ordered.stream().map(e -> summary(e, priorities, occurrences)).toList();
        return new Insight(now, priorities, teams, exceptions, summaries);
    }

    private static EnvironmentSummary summary(EnvironmentState env, List<Priority> priorities,
                                              List<Occurrence> occurrences) {
        Set<String> teams = new TreeSet<>(env.owners().values());
        for (ImageVerdict image : env.report().result().images()) {
            teams.addAll(Findings.teams(env, image));
        }
        Set<String> blocking = new LinkedHashSet<>();
        occurrences.stream().filter(o -> o.environment().equals(env.name()) && o.blocking())
                .forEach(o -> blocking.add(o.key()));
        List<String> blockedBy = priorities.stream().map(Priority::finding).filter(blocking::contains).toList();
        Decision decision = env.report().result().decision();
        return new EnvironmentSummary(env.name(), env.order(),
                env.report().revision() == null ? null : env.report().revision().hex(), env.report().policyRevision(),
                decision, decision != Decision.ERROR, List.copyOf(teams), blockedBy, env.report().result().errors());
    }
}
