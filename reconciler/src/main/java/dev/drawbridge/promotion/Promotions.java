package dev.drawbridge.promotion;

import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.gate.Decision;
import dev.drawbridge.reconcile.Notifications;
import dev.drawbridge.reconcile.ReconcileLoop;
import dev.drawbridge.reconcile.ReconcileOutcome;
import dev.drawbridge.report.notify.Notification;
import dev.drawbridge.values.EnvironmentName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The promotion stage of {@code serve}: after each reconcile of a promote-from source (and of the target, so on
 * the target's interval too) the promotion of every edge concerned whose target's Lease this replica holds is
 * brought up to date on one background
 * thread, never blocking a reconcile; runs asked for while one waits are coalesced. Keeps what each edge looks
 * like for the API and the dashboard, and tells the target's owners when a request opens, is blocked or merges.
 */
public final class Promotions implements ReconcileLoop.Listener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Promotions.class);

    /**
     * What an edge looks like after its last run.
     *
     * @param source     the environment promoted from
     * @param status     what the last run did ({@code opened}, {@code blocked}, ..., {@code pending} before the first)
     * @param revision   the revision waiting to be promoted (the source's applied revision); null when none
     * @param requestUrl the promotion request's page; null without one
     * @param gate       the target's gate on it ({@code PASS}, {@code BLOCK}, {@code ERROR}); null when not run
     * @param message    one line: what was done or why not
     * @param updatedAt  when the last run finished; null before the first
     */
    public record EdgeState(EnvironmentName source, String status, String revision, String requestUrl, String gate, String message,
                            Instant updatedAt) {
    }

    private final Promoter promoter;
    private final Predicate<EnvironmentName> holds;
    private final Notifications notifications;
    private final Clock clock;
    private final List<Edge> edges;
    private final Map<EnvironmentName, EdgeState> states = new ConcurrentHashMap<>();
    private final Set<EnvironmentName> waiting = ConcurrentHashMap.newKeySet();
    private final Map<EnvironmentName, String> told = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
        Thread t = new Thread(task, "promotion");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param notifications where the target's owners are told; may be null
     * @param holds         whether this replica holds an environment's Lease: only its holder promotes into it
     */
    public Promotions(DrawbridgeConfig config, Promoter promoter, Notifications notifications, Predicate<EnvironmentName> holds,
                      Clock clock) {
        this.promoter = promoter;
        this.holds = holds;
        this.notifications = notifications;
        this.clock = clock;
        this.edges = Edge.requested(config);
        for (Edge edge : edges) {
            states.put(edge.target().name(), new EdgeState(edge.source().name(), "pending", null, null, null,
                    "waiting for the first reconcile of " + edge.source().name(), null));
        }
    }

    @Override
    public void reconciled(EnvironmentConfig env, ReconcileOutcome outcome, Duration took) {
        for (Edge edge : edges) {
            if (edge.source().name().equals(env.name()) || edge.target().name().equals(env.name())) {
                submit(edge);
            }
        }
    }

    /** Queues a run of the edge unless one is waiting already. */
    public void submit(Edge edge) {
        if (!holds.test(edge.target().name()) || !waiting.add(edge.target().name())) {
            return;
        }
        try {
            executor.execute(() -> {
                waiting.remove(edge.target().name());
                run(edge);
            });
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            waiting.remove(edge.target().name());
        }
    }

    /** The state of the edge into {@code target}; empty when it has no promotion requests. */
    public Optional<EdgeState> state(EnvironmentName target) {
        return Optional.ofNullable(states.get(target));
    }

    private void run(Edge edge) {
        PromotionResult result;
        try {
            result = promoter.promote(edge, edge.target().promotion() == EnvironmentConfig.Promotion.AUTO_MERGE);
        } catch (RuntimeException e) {
            log.warn("{}: promotion failed: {}", edge, e.toString());
            return;
        }
        states.put(edge.target().name(), new EdgeState(edge.source().name(), result.action().word(), result.revision(),
                result.requestUrl(), result.gate() == null ? null : result.gate().name(), result.message(), clock.instant()));
        result.notes().forEach(note -> log.warn("{}: {}", edge, note));
        if (result.action() == PromotionResult.Action.FAILED) {
            log.warn("{}: {}", edge, result.message());
        } else {
            log.info("{}: {}", edge, result.message().isEmpty() ? result.action().word() : result.message());
        }
        tell(edge, result);
    }

    /** Each change once per revision: opened, blocked, merged. */
    private void tell(Edge edge, PromotionResult result) {
        if (notifications == null || result.revision() == null) {
            return;
        }
        Notification.Kind kind = switch (result.action()) {
            case MERGED -> Notification.Kind.PROMOTION_MERGED;
            case BLOCKED -> Notification.Kind.PROMOTION_BLOCKED;
            case OPENED, UPDATED -> result.gate() == Decision.BLOCK ? Notification.Kind.PROMOTION_BLOCKED
                    : Notification.Kind.PROMOTION_OPENED;
            case UNCHANGED -> result.gate() == Decision.BLOCK ? Notification.Kind.PROMOTION_BLOCKED : null;
            default -> null;
        };
        if (kind == null) {
            return;
        }
        String key = result.revision() + " " + kind;
        if (key.equals(told.put(edge.target().name(), key))) {
            return;
        }
        String description = result.title() + (kind == Notification.Kind.PROMOTION_BLOCKED && !result.reasons().isEmpty()
                ? ": " + result.reasons().get(0) : "");
        notifications.promotion(edge.target().name(), kind, result.revision(), description, result.requestUrl());
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }
}
