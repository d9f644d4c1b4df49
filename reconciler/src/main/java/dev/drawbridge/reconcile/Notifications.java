package dev.drawbridge.reconcile;

import dev.drawbridge.apply.ChangeSetEntry;
import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.config.NotificationConfig;
import dev.drawbridge.gate.Decision;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.gate.ImageVerdict;
import dev.drawbridge.gate.Verdict;
import dev.drawbridge.report.StatusDescription;
import dev.drawbridge.report.notify.HttpNotifier;
import dev.drawbridge.report.notify.Notification;
import dev.drawbridge.report.notify.Notifier;
import dev.drawbridge.report.notify.SlackNotifier;
import dev.drawbridge.report.notify.WebhookNotifier;
import dev.drawbridge.retry.Backoff;
import dev.drawbridge.retry.OwedDeliveries;
import dev.drawbridge.retry.RetryQueue;
import dev.drawbridge.retry.Sleeper;
import dev.drawbridge.values.EnvironmentName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Notifications on a change of outcome (docs/operations.md), fed every reconcile of the loop. It keeps the last
 * outcome of each environment and tells only what changed: BLOCKED when the gate blocks an environment
 * that was not blocked, UNBLOCKED when one that was is applied again, ERROR when a reconcile fails after
 * one that did not, RECOVERED when one is applied after failures, and DRIFT_UNDONE whenever an apply put
 * drifted objects back. The same outcome again (a blocked revision on every poll) tells nothing. The first
 * outcome after start is told only when it is bad (blocked or failed): a restart does not announce
 * every healthy environment.
 *
 * <p>Routing: each event carries the owners ({@code drawbridge.dev/owner}) of the workloads concerned —
 * of the blocked images for BLOCKED, of the images that could not be verified for ERROR, of the drifted
 * objects for DRIFT_UNDONE, and for UNBLOCKED and RECOVERED the owners that the bad state concerned. A
 * notifier with {@code owners} gets an event only when the event's owners meet them; one without gets every
 * event; {@code environments} filters likewise. An event whose owners are unknown (a failed fetch or
 * render, a failed apply, workloads without the label) reaches only the notifiers without {@code owners}.
 *
 * <p>Only {@code serve} notifies: {@code reconcile --once} has no previous outcome to compare with.
 */
public final class Notifications implements ReconcileLoop.Listener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Notifications.class);
    private static final int DRIFT_LISTED = 3;

    /** Where events go, and which: those meeting {@code owners} (any when empty) in {@code environments} (all when empty). */
    record Route(Notifier notifier, Set<String> owners, Set<EnvironmentName> environments) {
        Route {
            owners = Set.copyOf(owners);
            environments = Set.copyOf(environments);
        }

        boolean wants(Notification n) {
            return (environments.isEmpty() || environments.contains(n.environment()))
                    && (owners.isEmpty() || !Collections.disjoint(owners, n.owners()));
        }
    }

    private enum State { APPLIED, BLOCKED, FAILED }

    /** The last outcome of an environment; {@code owners}: whom the current bad state concerns. */
    private record Last(State state, Set<String> owners) {
    }

    private final List<Route> routes;
    private final Function<EnvironmentName, Owners> owners;
    private final String dashboard;
    private final Map<EnvironmentName, Last> last = new ConcurrentHashMap<>();

    /**
     * @param owners the owners of the objects of an environment's last render ({@link ReconcilePipeline#owners})
     */
    Notifications(List<Route> routes, Function<EnvironmentName, Owners> owners, URI dashboardUrl) {
        this.routes = List.copyOf(routes);
        this.owners = owners;
        String base = dashboardUrl == null ? "http://localhost:8080" : dashboardUrl.toString();
        this.dashboard = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** From {@code notifications:}; each URL is read from its file at each use; nothing kept across a restart. */
    public static Notifications fromConfig(DrawbridgeConfig config, Function<EnvironmentName, Owners> owners) {
        return fromConfig(config, owners, null);
    }

    /**
     * From {@code notifications:}; each URL is read from its file at each use. With a work directory, what a
     * notifier has not sent yet is kept under {@code owed/notifications/<name>} (the notification, never the URL)
     * and what a stopped process still owed is sent now, with backoff (docs/retries.md).
     */
    public static Notifications fromConfig(DrawbridgeConfig config, Function<EnvironmentName, Owners> owners, Path workDir) {
        List<Route> routes = new ArrayList<>();
        HttpClient http = config.notifications().isEmpty() ? null
                : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        RetryQueue.Settings settings = new RetryQueue.Settings(100, Backoff.delivery(), Sleeper.SYSTEM);
        for (NotificationConfig n : config.notifications()) {
            OwedDeliveries<HttpNotifier.Sending> owed = workDir == null ? null
                    : HttpNotifier.journal(workDir.resolve(OWED), n.name(), Clock.systemUTC());
            HttpNotifier notifier = switch (n.type()) {
                case SLACK -> new SlackNotifier(n.name(), n.urlFile()::read, http, settings, owed);
                case WEBHOOK -> new WebhookNotifier(n.name(), n.urlFile()::read, http, settings, owed);
            };
            notifier.resume();
            routes.add(new Route(notifier, Set.copyOf(n.owners()), Set.copyOf(n.environments())));
        }
        return new Notifications(routes, owners, config.dashboardUrl());
    }

    /** Where the notifications not sent yet are kept, under the work directory. */
    static final String OWED = "owed/notifications";

    @Override
    public void reconciled(EnvironmentConfig env, ReconcileOutcome outcome, Duration took) {
        if (routes.isEmpty()) {
            return; // no notifications configured: nothing to keep either
        }
        for (Notification n : changes(env, outcome)) {
            send(n);
        }
    }

    /** Whether any notifier is configured (without one, nothing is sent and nothing need be remembered). */
    public boolean configured() {
        return !routes.isEmpty();
    }

    /**
     * Tells the owners of {@code environment} (the owners of everything its last reconcile rendered) about its
     * promotion request: opened, blocked by its gate, merged. The caller tells each change once.
     *
     * @param link the request's page, else the decision page of the source environment
     */
    public void promotion(EnvironmentName environment, Notification.Kind kind, String revision, String description, String link) {
        if (routes.isEmpty()) {
            return;
        }
        Set<String> teams = new TreeSet<>(owners.apply(environment).byObject().values());
        send(new Notification(environment, kind, revision, description, teams, link));
    }

    /** Sends one notification to every notifier that wants it (its owners and environment). */
    public void send(Notification n) {
        List<String> to = new ArrayList<>();
        for (Route route : routes) {
            if (route.wants(n)) {
                route.notifier().send(n);
                to.add(route.notifier().name());
            }
        }
        log.info("{}: {} (owners: {}) notified to {}", n.environment(), n, n.owners().isEmpty() ? "unknown" : n.owners(),
                to.isEmpty() ? "nobody" : to);
    }

    /** The dashboard page at {@code path} (e.g. {@code /exceptions}). */
    public String link(String path) {
        return dashboard + path;
    }

    /** The events this outcome makes, given the environment's last one; remembers it. */
    List<Notification> changes(EnvironmentConfig env, ReconcileOutcome outcome) {
        Last previous = last.get(env.name());
        State now = state(outcome);
        Owners rendered = owners.apply(env.name());
        List<Notification> events = new ArrayList<>();
        Set<String> concerned = Set.of();
        switch (now) {
            case BLOCKED, FAILED -> {
                concerned = rendered.of(workloads(outcome.report(), now == State.BLOCKED ? Verdict.BLOCK : Verdict.ERROR));
                if (previous == null || previous.state() != now) {
                    events.add(event(env, outcome, now == State.BLOCKED ? Notification.Kind.BLOCKED : Notification.Kind.ERROR,
                            description(outcome), concerned));
                }
            }
            case APPLIED -> {
                ReconcileOutcome.Applied applied = (ReconcileOutcome.Applied) outcome;
                if (previous != null && previous.state() != State.APPLIED) {
                    events.add(event(env, outcome, previous.state() == State.BLOCKED ? Notification.Kind.UNBLOCKED
                            : Notification.Kind.RECOVERED, "applied: " + applied.changes().summary(), previous.owners()));
                }
                List<String> drifted = applied.changes().drifted().stream().map(ChangeSetEntry::id).toList();
                if (!drifted.isEmpty()) {
                    events.add(event(env, outcome, Notification.Kind.DRIFT_UNDONE, drift(applied.changes().drifted()),
                            rendered.of(drifted)));
                }
            }
        }
        Set<String> keep = new TreeSet<>(concerned);
        if (previous != null && previous.state() == now) {
            keep.addAll(previous.owners()); // everyone the bad state concerned while it lasted
        }
        last.put(env.name(), new Last(now, now == State.APPLIED ? Set.of() : Set.copyOf(keep)));
        return events;
    }

    private Notification event(EnvironmentConfig env, ReconcileOutcome outcome, Notification.Kind kind,
                               String description, Set<String> owners) {
        String revision = outcome.report().revision() == null ? null : outcome.report().revision().hex();
        String link = revision == null ? dashboard + "/" : dashboard + "/environments/" + env.name() + "/decisions/" + revision;
        return new Notification(env.name(), kind, revision, description, owners, link);
    }

    private static State state(ReconcileOutcome outcome) {
        if (outcome instanceof ReconcileOutcome.Applied) {
            return State.APPLIED;
        }
        return outcome instanceof ReconcileOutcome.Blocked ? State.BLOCKED : State.FAILED;
    }

    private static List<String> workloads(GateReport report, Verdict verdict) {
        return report.result().images().stream().filter(v -> v.verdict() == verdict)
                .map(ImageVerdict::workloads).flatMap(List::stream).toList();
    }

    /** As the commit status says it; a stage that failed after the gate is named with its reason. */
    private static String description(ReconcileOutcome outcome) {
        GateReport report = outcome.report();
        if (outcome instanceof ReconcileOutcome.Failed failed && report.result().decision() != Decision.ERROR) {
            return "error: " + failed.reason() + ": " + failed.message();
        }
        return StatusDescription.of(report.result());
    }

    /** {@code drift undone: Deployment/shop/api (kubectl-edit added spec.template.spec.containers[name=sidecar])}: who did what. */
    private static String drift(List<ChangeSetEntry> entries) {
        String listed = entries.subList(0, Math.min(DRIFT_LISTED, entries.size())).stream()
                .map(e -> e.id() + (e.detail().isEmpty() ? "" : " (" + e.detail() + ")"))
                .collect(java.util.stream.Collectors.joining(", "));
        return "drift undone: " + listed + (entries.size() > DRIFT_LISTED ? " +" + (entries.size() - DRIFT_LISTED) + " more" : "");
    }

    /** Stops each notifier's worker once its queued notifications are sent (a few seconds at most). */
    @Override
    public void close() {
        for (Route route : routes) {
            if (route.notifier() instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    log.warn("notification {}: could not close: {}", route.notifier().name(), e.toString());
                }
            }
        }
    }
}
