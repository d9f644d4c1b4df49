package dev.drawbridge.web;

import dev.drawbridge.apply.Action;
import dev.drawbridge.apply.ChangeSet;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.reconcile.CommitStatuses;
import dev.drawbridge.reconcile.Reason;
import dev.drawbridge.reconcile.ReconcileLoop;
import dev.drawbridge.reconcile.ReconcileOutcome;
import dev.drawbridge.registry.ImageLookup;
import dev.drawbridge.registry.RegistryLookup;
import dev.drawbridge.registry.RegistryStats;
import dev.drawbridge.report.forge.ReporterStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Micrometer meters of the reconciler (served at {@code /actuator/prometheus}):
 * <ul>
 *   <li>{@code drawbridge.reconcile.duration} (timer) and {@code drawbridge.reconcile.outcomes} (counter),
 *       tagged {@code environment}, {@code outcome} ({@code applied|blocked|failed}) and {@code reason}
 *       ({@code none} for applied, else the {@link Reason});</li>
 *   <li>{@code drawbridge.objects.applied} (created + configured), {@code drawbridge.objects.pruned}
 *       (deleted) and {@code drawbridge.drift.undone}, per {@code environment}, from each change set
 *       (a failed apply counts what it had written);</li>
 *   <li>{@code drawbridge.registry.lookups}, {@code drawbridge.registry.cache.hits},
 *       {@code drawbridge.registry.http.requests}: read from the registry lookup's own counters. They only
 *       ever grow, so they are function counters ({@code _total} in Prometheus), which {@code rate()} can use.</li>
 * </ul>
 */
final class ReconcileMetrics implements ReconcileLoop.Listener {

    private final MeterRegistry registry;

    ReconcileMetrics(MeterRegistry registry, List<EnvironmentConfig> environments, ImageLookup lookup) {
        this.registry = registry;
        for (EnvironmentConfig env : environments) {
            // present (at zero) from the start, so a query does not depend on the first apply
            applied(env.name().value());
            pruned(env.name().value());
            drift(env.name().value());
        }
        if (lookup instanceof RegistryLookup registryLookup) {
            registryCounter("drawbridge.registry.lookups", "digest lookups sent to a registry", registryLookup,
                    RegistryStats::lookups);
            registryCounter("drawbridge.registry.cache.hits", "digest lookups answered from the cache", registryLookup,
                    RegistryStats::cacheHits);
            registryCounter("drawbridge.registry.http.requests", "HTTP requests sent to registries (token requests included)",
                    registryLookup, RegistryStats::httpRequests);
        }
    }

    /** Commit statuses: posted, given up after retries (visible here and in the logs), retried, dropped. */
    void statuses(CommitStatuses statuses) {
        statusCounter("drawbridge.statuses.posted", "commit statuses posted to the forge", statuses, ReporterStats::posted);
        statusCounter("drawbridge.statuses.failed", "commit statuses given up on (the decision stands)", statuses,
                ReporterStats::failed);
        statusCounter("drawbridge.statuses.retried", "commit status posts retried", statuses, ReporterStats::retried);
        statusCounter("drawbridge.statuses.dropped", "queued statuses superseded or dropped", statuses, ReporterStats::dropped);
    }

    private void statusCounter(String name, String description, CommitStatuses statuses, ToLongFunction<ReporterStats> stat) {
        FunctionCounter.builder(name, statuses, s -> stat.applyAsLong(s.stats()))
                .description(description)
                .register(registry);
    }

    private void registryCounter(String name, String description, RegistryLookup lookup, ToLongFunction<RegistryStats> stat) {
        FunctionCounter.builder(name, lookup, l -> stat.applyAsLong(l.stats()))
                .description(description)
                .register(registry);
    }

    @Override
    public void reconciled(EnvironmentConfig env, ReconcileOutcome outcome, Duration took) {
        Reason reason = Outcomes.reason(outcome);
        String[] tags = {"environment", env.name().value(), "outcome", Outcomes.kind(outcome),
                "reason", reason == null ? "none" : reason.name()};
        Timer.builder("drawbridge.reconcile.duration")
                .description("time of one reconcile of one environment, source to apply")
                .tags(tags)
                .register(registry)
                .record(took);
        Counter.builder("drawbridge.reconcile.outcomes")
                .description("finished reconciles by outcome")
                .tags(tags)
                .register(registry)
                .increment();
        ChangeSet changes = changes(outcome);
        applied(env.name().value()).increment(changes.count(Action.CREATED) + changes.count(Action.CONFIGURED));
        pruned(env.name().value()).increment(changes.count(Action.DELETED));
        drift(env.name().value()).increment(changes.drifted().size());
    }

    private static ChangeSet changes(ReconcileOutcome outcome) {
        if (outcome instanceof ReconcileOutcome.Applied a) {
            return a.changes();
        }
        return outcome instanceof ReconcileOutcome.Failed f ? f.changes() : ChangeSet.empty();
    }

    private Counter applied(String environment) {
        return Counter.builder("drawbridge.objects.applied").description("objects created or configured")
                .tag("environment", environment).register(registry);
    }

    private Counter pruned(String environment) {
        return Counter.builder("drawbridge.objects.pruned").description("objects deleted because they left Git")
                .tag("environment", environment).register(registry);
    }

    private Counter drift(String environment) {
        return Counter.builder("drawbridge.drift.undone")
                .description("live changes that were undone (owned fields changed, fields other managers added)")
                .tag("environment", environment).register(registry);
    }
}
