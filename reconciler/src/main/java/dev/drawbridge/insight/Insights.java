package dev.drawbridge.insight;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The current insight of a running engine: the latest state of each environment, the findings of each
 * environment's head kept by that head (revision and policy revision), and the insight computed from them,
 * recomputed only when a head changes or the day does (exceptions count days). Thread-safe; reading it asks
 * nothing of any registry or cluster.
 */
public final class Insights {

    private record Kept(EnvironmentState state, List<Occurrence> occurrences) {
    }

    private final InsightEngine engine;
    private final Clock clock;
    private final Map<String, Kept> environments = new LinkedHashMap<>();
    private Insight current;
    private LocalDate computedOn;

    public Insights(Clock clock) {
        this.clock = clock;
        this.engine = new InsightEngine(clock);
    }

    /**
     * Takes the state of an environment's head. Its findings are found again only for a new head (revision or
     * policy revision) or a new gate result; the same head with the same result keeps what was found.
     */
    public synchronized void update(EnvironmentState state) {
        Kept kept = environments.get(state.name());
        List<Occurrence> occurrences = kept != null && kept.state().head().equals(state.head())
                && kept.state().report().equals(state.report()) && kept.state().owners().equals(state.owners())
                ? kept.occurrences() : Findings.of(state);
        environments.put(state.name(), new Kept(state, occurrences));
        current = null;
    }

    /** The state kept for {@code environment}, if any. */
    public synchronized Optional<EnvironmentState> state(String environment) {
        Kept kept = environments.get(environment);
        return kept == null ? Optional.empty() : Optional.of(kept.state());
    }

    /** The insight of every environment's latest state; {@link Insight#EMPTY}-like (no rows) before any. */
    public synchronized Insight current() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        if (current == null || !today.equals(computedOn)) {
            List<EnvironmentState> states = new ArrayList<>();
            List<Occurrence> occurrences = new ArrayList<>();
            environments.values().stream()
                    .sorted(Comparator.comparingInt((Kept k) -> -k.state().order()))
                    .forEach(k -> {
                        states.add(k.state());
                        occurrences.addAll(k.occurrences());
                    });
            current = engine.compute(states, occurrences);
            computedOn = today;
        }
        return current;
    }
}
