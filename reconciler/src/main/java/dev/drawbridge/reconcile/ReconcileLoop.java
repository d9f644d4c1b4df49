package dev.drawbridge.reconcile;

import dev.drawbridge.apply.ChangeSet;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.gate.GateResult;
import dev.drawbridge.retry.Backoff;
import dev.drawbridge.values.EnvironmentName;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs the pipeline of every environment on its interval: one reconcile per environment at a time, a
 * trigger (webhook) runs it at once or right after the running one, and a failed reconcile is retried
 * with capped exponential backoff ({@link Backoff}), never later than the next interval. Scheduling
 * lives here, apart from the stages, which never sleep or retry.
 */
public final class ReconcileLoop implements AutoCloseable {

    /** Told about every finished reconcile (metrics, notifications, reports). */
    @FunctionalInterface
    public interface Listener {
        void reconciled(EnvironmentConfig env, ReconcileOutcome outcome, Duration took);
    }

    private final class Slot {
        final EnvironmentConfig env;
        ScheduledFuture<?> next;
        boolean running;
        boolean triggered;
        EnvironmentStatus status;

        Slot(EnvironmentConfig env) {
            this.env = env;
            this.status = new EnvironmentStatus(env.name(), null, null, null, 0, null);
        }
    }

    private final Map<EnvironmentName, Slot> slots = new LinkedHashMap<>();
    private final Function<EnvironmentConfig, ReconcileOutcome> reconciler;
    private final ScheduledExecutorService scheduler;
    private final Backoff retry;
    private final Clock clock;
    private final Listener listener;
    private final Ownership ownership;
    private volatile boolean stopped;

    /**
     * @param reconciler runs one reconcile of one environment (the pipeline)
     * @param scheduler  runs the reconciles; environments run in parallel up to its threads
     */
    public ReconcileLoop(List<EnvironmentConfig> environments, Function<EnvironmentConfig, ReconcileOutcome> reconciler,
                         ScheduledExecutorService scheduler, Backoff retry, Clock clock, Listener listener) {
        this(environments, reconciler, scheduler, retry, clock, listener, Ownership.ALONE);
    }

    /**
     * @param ownership which environments this process runs: one it does not hold is not reconciled here (its
     *                  holder does that), and a trigger for it is passed on to the holder
     */
    public ReconcileLoop(List<EnvironmentConfig> environments, Function<EnvironmentConfig, ReconcileOutcome> reconciler,
                         ScheduledExecutorService scheduler, Backoff retry, Clock clock, Listener listener,
                         Ownership ownership) {
        this.ownership = ownership;
        environments.forEach(e -> slots.put(e.name(), new Slot(e)));
        this.reconciler = reconciler;
        this.scheduler = scheduler;
        this.retry = retry;
        this.clock = clock;
        this.listener = listener;
    }

    /** Schedules every environment now. */
    public void start() {
        slots.values().forEach(s -> schedule(s, Duration.ZERO));
    }

    /**
     * Reconciles {@code environment} at once; when it is running, once more right after. Returns false
     * for an environment that is not configured.
     */
    public boolean trigger(EnvironmentName environment) {
        Slot slot = slots.get(environment);
        if (slot == null || stopped) {
            return false;
        }
        if (!ownership.holds(environment)) {
            ownership.passOn(environment);
            return true;
        }
        synchronized (slot) {
            if (slot.running) {
                slot.triggered = true;
                return true;
            }
        }
        schedule(slot, Duration.ZERO);
        return true;
    }

    /** Which environments this process runs (every one, unless replicas share them through Leases). */
    public Ownership ownership() {
        return ownership;
    }

    public Optional<EnvironmentStatus> status(EnvironmentName environment) {
        Slot slot = slots.get(environment);
        if (slot == null) {
            return Optional.empty();
        }
        synchronized (slot) {
            return Optional.of(slot.status);
        }
    }

    public Map<EnvironmentName, EnvironmentStatus> statuses() {
        Map<EnvironmentName, EnvironmentStatus> all = new LinkedHashMap<>();
        slots.forEach((name, slot) -> {
            synchronized (slot) {
                all.put(name, slot.status);
            }
        });
        return all;
    }

    private void schedule(Slot slot, Duration delay) {
        synchronized (slot) {
            if (stopped) {
                return;
            }
            if (slot.next != null) {
                slot.next.cancel(false);
            }
            slot.next = scheduler.schedule(() -> run(slot), delay.toMillis(), TimeUnit.MILLISECONDS);
            EnvironmentStatus s = slot.status;
            slot.status = new EnvironmentStatus(s.environment(), s.last(), s.finishedAt(), s.took(),
                    s.consecutiveFailures(), clock.instant().plus(delay));
        }
    }

    private void run(Slot slot) {
        synchronized (slot) {
            if (slot.running || stopped) {
                return;
            }
            if (!ownership.holds(slot.env.name())) {
                slot.next = null; // its holder reconciles it; taking the Lease triggers a run here
                return;
            }
            slot.running = true;
        }
        Instant start = clock.instant();
        ReconcileOutcome outcome;
        try {
            outcome = reconciler.apply(slot.env);
        } catch (RuntimeException e) {
            String message = "unexpected " + e.getClass().getSimpleName() + " (a defect; nothing more was applied): "
                    + e.getMessage();
            outcome = new ReconcileOutcome.Failed(new GateReport(slot.env.name(), null, null, slot.env.path(),
                    GateResult.error(List.of(message))), Reason.INTERNAL, message, ChangeSet.empty());
        }
        Instant end = clock.instant();
        Duration took = Duration.between(start, end);
        Duration delay;
        boolean again;
        synchronized (slot) {
            int failures = outcome instanceof ReconcileOutcome.Failed ? slot.status.consecutiveFailures() + 1 : 0;
            slot.status = new EnvironmentStatus(slot.env.name(), outcome, end, took, failures, null);
            slot.running = false;
            again = slot.triggered;
            slot.triggered = false;
            delay = again ? Duration.ZERO : nextDelay(slot.env, outcome, failures);
        }
        try {
            listener.reconciled(slot.env, outcome, took);
        } catch (RuntimeException ignored) {
            // a listener (metrics, reports) never stops the loop
        }
        schedule(slot, delay);
    }

    /** Transient failures are retried with backoff; everything else waits for the interval (or a trigger). */
    private Duration nextDelay(EnvironmentConfig env, ReconcileOutcome outcome, int failures) {
        if (outcome instanceof ReconcileOutcome.Failed failed && retriable(failed.reason())) {
            Duration backoff = retry.delay(failures);
            return backoff.compareTo(env.interval()) < 0 ? backoff : env.interval();
        }
        return env.interval();
    }

    private static boolean retriable(Reason reason) {
        return switch (reason) {
            case SOURCE_FAILED, GATE_ERROR, APPLY_FAILED, PRUNE_FAILED, HEALTH_FAILED, LEASE_LOST, INTERNAL -> true;
            case FORCE_PUSHED, POLICY_FAILED, RENDER_FAILED, RENDER_REMOTE_REFUSED, GATE_BLOCKED -> false;
        };
    }

    /**
     * Stops scheduling and waits up to {@code grace} for running reconciles to finish (an apply is not
     * cut off half-way).
     */
    public void stop(Duration grace) {
        stopped = true;
        slots.values().forEach(s -> {
            synchronized (s) {
                if (s.next != null) {
                    s.next.cancel(false);
                }
            }
        });
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }
}
