package dev.drawbridge.web;

import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.reconcile.Owners;
import dev.drawbridge.reconcile.ReconcileLoop;
import dev.drawbridge.reconcile.ReconcileOutcome;
import dev.drawbridge.values.EnvironmentName;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The latest outcome of each environment at each revision, kept in memory for the decision pages: the
 * last {@value #PER_ENVIRONMENT} revisions per environment (a revision reconciled again moves to the front
 * with its newer outcome). Outcomes without a revision (the source could not be fetched) are not kept:
 * there is no page to link them from; the dashboard shows them from the loop's status.
 */
final class DecisionHistory implements ReconcileLoop.Listener {

    static final int PER_ENVIRONMENT = 50;

    /**
     * One reconcile's outcome, as the decision page shows it, with the owners of what it rendered (the teams
     * page counts each team's blocked images from them).
     */
    record Entry(EnvironmentName environment, String revision, ReconcileOutcome outcome, Instant finishedAt, Duration took,
                 Owners owners) {
        Entry(EnvironmentName environment, String revision, ReconcileOutcome outcome, Instant finishedAt, Duration took) {
            this(environment, revision, outcome, finishedAt, took, Owners.NONE);
        }
    }

    private final Map<EnvironmentName, LinkedHashMap<String, Entry>> byEnvironment = new HashMap<>();
    private final Clock clock;
    private final Function<EnvironmentName, Owners> owners;

    DecisionHistory(Clock clock) {
        this(clock, env -> Owners.NONE);
    }

    /** @param owners the owners of an environment's last render, read right after its reconcile */
    DecisionHistory(Clock clock, Function<EnvironmentName, Owners> owners) {
        this.clock = clock;
        this.owners = owners;
    }

    @Override
    public synchronized void reconciled(EnvironmentConfig env, ReconcileOutcome outcome, Duration took) {
        String revision = outcome.report().revision() == null ? null : outcome.report().revision().hex();
        if (revision == null) {
            return;
        }
        LinkedHashMap<String, Entry> entries = byEnvironment.computeIfAbsent(env.name(), k -> new LinkedHashMap<>());
        entries.remove(revision);
        entries.put(revision, new Entry(env.name(), revision, outcome, clock.instant(), took, owners.apply(env.name())));
        while (entries.size() > PER_ENVIRONMENT) {
            entries.remove(entries.keySet().iterator().next());
        }
    }

    /**
     * The entry of {@code environment} at {@code revision}: the full sha, or an unambiguous prefix of at
     * least 7 characters (as Git prints shas).
     */
    synchronized Optional<Entry> find(EnvironmentName environment, String revision) {
        LinkedHashMap<String, Entry> entries = byEnvironment.get(environment);
        if (entries == null || revision == null) {
            return Optional.empty();
        }
        Entry exact = entries.get(revision);
        if (exact != null || revision.length() < 7) {
            return Optional.ofNullable(exact);
        }
        List<Entry> matches = entries.values().stream().filter(e -> e.revision().startsWith(revision)).toList();
        return matches.size() == 1 ? Optional.of(matches.get(0)) : Optional.empty();
    }

    /** Every entry kept, of every environment, oldest first within each environment. */
    synchronized List<Entry> all() {
        List<Entry> all = new java.util.ArrayList<>();
        byEnvironment.values().forEach(entries -> all.addAll(entries.values()));
        return all;
    }

    /** The revisions kept for {@code environment}, newest first. */
    synchronized List<Entry> entries(EnvironmentName environment) {
        LinkedHashMap<String, Entry> entries = byEnvironment.get(environment);
        if (entries == null) {
            return List.of();
        }
        List<Entry> all = new java.util.ArrayList<>(entries.values());
        java.util.Collections.reverse(all);
        return all;
    }
}
