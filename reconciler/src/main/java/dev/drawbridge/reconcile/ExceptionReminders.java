package dev.drawbridge.reconcile;

import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.decision.DecisionStoreException;
import dev.drawbridge.decision.NoticeLedger;
import dev.drawbridge.insight.ExceptionEntry;
import dev.drawbridge.insight.ExceptionNotice;
import dev.drawbridge.report.notify.Notification;
import dev.drawbridge.values.EnvironmentName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Tells an exception's owner once when the exception enters its policy's {@code exceptionsWarnBefore} window,
 * and once more when it expires (docs/priorities.md). After each reconcile of an
 * environment, the notices due for its policy's exceptions are claimed in the ledger of the environment's
 * cluster (the ConfigMap {@code drawbridge-notices}) and only a notice this process claimed is sent: once across
 * restarts and replicas. A notice whose claim fails (cluster unreachable) is not sent and is tried again at the
 * next reconcile. Nothing is claimed when no notifier is configured.
 */
public final class ExceptionReminders implements ReconcileLoop.Listener {

    private static final Logger log = LoggerFactory.getLogger(ExceptionReminders.class);

    private final Supplier<List<ExceptionEntry>> exceptions;
    private final Function<EnvironmentConfig, NoticeLedger> ledgers;
    private final Notifications notifications;
    private final Clock clock;

    /**
     * @param exceptions every exception with its days left, as insight has them ({@link InsightFeed#current()})
     * @param ledgers    the notice ledger of each environment's cluster
     */
    public ExceptionReminders(Supplier<List<ExceptionEntry>> exceptions, Function<EnvironmentConfig, NoticeLedger> ledgers,
                              Notifications notifications, Clock clock) {
        this.exceptions = exceptions;
        this.ledgers = ledgers;
        this.notifications = notifications;
        this.clock = clock;
    }

    @Override
    public void reconciled(EnvironmentConfig env, ReconcileOutcome outcome, Duration took) {
        if (!notifications.configured()) {
            return;
        }
        List<ExceptionEntry> mine = exceptions.get().stream().filter(x -> x.environment().equals(env.name().value())).toList();
        for (ExceptionNotice notice : ExceptionNotice.due(mine)) {
            boolean claimed;
            try {
                claimed = ledgers.apply(env).claim(notice.key(), clock.instant());
            } catch (DecisionStoreException | RuntimeException e) {
                log.warn("{}: exception {} not notified now (will retry): {}", env.name(), notice.exception().id(),
                        e.getMessage());
                continue;
            }
            if (claimed) {
                notifications.send(notification(notice));
            }
        }
    }

    private Notification notification(ExceptionNotice notice) {
        ExceptionEntry x = notice.exception();
        Notification.Kind kind = notice.kind() == ExceptionNotice.Kind.EXPIRED ? Notification.Kind.EXCEPTION_EXPIRED
                : Notification.Kind.EXCEPTION_EXPIRING;
        return new Notification(EnvironmentName.of(x.environment()), kind, null, notice.description(), Set.of(x.owner()),
                notifications.link("/exceptions"));
    }
}
