package dev.drawbridge.reconcile;

import dev.drawbridge.decision.DecisionStoreException;
import dev.drawbridge.decision.KubernetesNoticeLedger;
import dev.drawbridge.decision.NoticeLedger;
import dev.drawbridge.apply.testing.ApplyingMockServer;
import dev.drawbridge.apply.testing.MutableClock;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.gate.Decision;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.gate.GateResult;
import dev.drawbridge.image.Severity;
import dev.drawbridge.insight.EnvironmentState;
import dev.drawbridge.insight.ExceptionEntry;
import dev.drawbridge.insight.InsightEngine;
import dev.drawbridge.policy.GatePolicy;
import dev.drawbridge.policy.ImageRules;
import dev.drawbridge.policy.ScanRules;
import dev.drawbridge.policy.VulnerabilityException;
import dev.drawbridge.report.notify.Notification;
import dev.drawbridge.report.notify.Notification.Kind;
import dev.drawbridge.values.CommitId;
import dev.drawbridge.values.EnvironmentName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** An exception's owner is told once when it enters its warning window and once when it expires, across restarts. */
class ExceptionRemindersTest {

    static final EnvironmentConfig PRODUCTION = NotificationsTest.env("production");
    static final ReconcileOutcome BLOCKED = new ReconcileOutcome.Blocked(new GateReport(EnvironmentName.of("production"), CommitId.of("a".repeat(40)),
            "b".repeat(40), "overlays/production", new GateResult(Decision.BLOCK, List.of(), List.of(), List.of(), List.of())));

    final ApplyingMockServer server = ApplyingMockServer.start();
    final MutableClock clock = new MutableClock(Instant.parse("2027-01-01T09:00:00Z"));
    final NotificationsTest.Recorder shop = new NotificationsTest.Recorder("shop");
    final NotificationsTest.Recorder payments = new NotificationsTest.Recorder("payments");
    final Notifications notifications = new Notifications(List.of(
            new Notifications.Route(shop, Set.of("team-shop"), Set.of()),
            new Notifications.Route(payments, Set.of("team-payments"), Set.of())),
            env -> Owners.NONE, URI.create("https://drawbridge.example.com"));

    @AfterEach
    void stop() {
        server.close();
    }

    /** The exceptions of production's policy as insight computes them at the clock's time. */
    Supplier<List<ExceptionEntry>> exceptions() {
        GatePolicy policy = new GatePolicy("production", "policies/production.yaml", GatePolicy.Mode.ENFORCE, List.of(),
                new ImageRules(false, null), new ScanRules(true, null, Set.of(Severity.CRITICAL), Set.of(Severity.CRITICAL)),
                false, false, List.of(new VulnerabilityException("EXC-42", "CVE-2026-1234", List.of(),
                "not reachable from the network", "team-shop", LocalDate.parse("2027-01-31"))), Duration.ofDays(14));
        EnvironmentState state = new EnvironmentState("production", 2, BLOCKED.report(), policy, Map.of(), null);
        return () -> new InsightEngine(clock).compute(List.of(state)).exceptions();
    }

    ExceptionReminders reminders(NoticeLedger ledger) {
        return new ExceptionReminders(exceptions(), env -> ledger, notifications, clock);
    }

    KubernetesNoticeLedger ledger() {
        return new KubernetesNoticeLedger(server.client(), "drawbridge-system");
    }

    @Test
    void theOwnerIsToldOnceWhenTheWindowOpensAndOnceWhenItExpiresAcrossRestarts() {
        ExceptionReminders reminders = reminders(ledger());
        reminders.reconciled(PRODUCTION, BLOCKED, Duration.ZERO);
        assertThat(shop.sent).isEmpty(); // 30 days left, the window is 14

        clock.advance(Duration.ofDays(16)); // 2027-01-17: 14 days left
        reminders.reconciled(PRODUCTION, BLOCKED, Duration.ZERO);
        reminders.reconciled(PRODUCTION, BLOCKED, Duration.ZERO);
        assertThat(shop.kinds()).containsExactly(Kind.EXCEPTION_EXPIRING);
        Notification expiring = shop.sent.get(0);
        assertThat(expiring.owners()).containsExactly("team-shop");
        assertThat(expiring.description()).isEqualTo("exception EXC-42 (CVE-2026-1234, production) expires on 2027-01-31"
                + " (in 14 days): fix the vulnerability or renew the exception");
        assertThat(expiring.link()).isEqualTo("https://drawbridge.example.com/exceptions");
        assertThat(payments.sent).isEmpty();

        // a restart: a new process, the same cluster
        reminders(ledger()).reconciled(PRODUCTION, BLOCKED, Duration.ZERO);
        assertThat(shop.sent).hasSize(1);

        clock.advance(Duration.ofDays(15)); // 2027-02-01: expired
        reminders(ledger()).reconciled(PRODUCTION, BLOCKED, Duration.ZERO);
        reminders(ledger()).reconciled(PRODUCTION, BLOCKED, Duration.ZERO);
        assertThat(shop.kinds()).containsExactly(Kind.EXCEPTION_EXPIRING, Kind.EXCEPTION_EXPIRED);
        assertThat(shop.sent.get(1).description()).startsWith("exception EXC-42 (CVE-2026-1234, production) expired on 2027-01-31");
        assertThat(server.client().configMaps().inNamespace("drawbridge-system").withName(KubernetesNoticeLedger.NAME)
                .get().getData()).hasSize(2);
    }

    @Test
    void aNoticeWhoseClaimFailsIsNotSentAndIsTriedAgainAtTheNextReconcile() {
        clock.advance(Duration.ofDays(20));
        NoticeLedger down = (key, at) -> {
            throw new DecisionStoreException(DecisionStoreException.Reason.CLUSTER_FAILED, "the API server could not be reached", null);
        };
        reminders(down).reconciled(PRODUCTION, BLOCKED, Duration.ZERO);
        assertThat(shop.sent).isEmpty();

        reminders(ledger()).reconciled(PRODUCTION, BLOCKED, Duration.ZERO);
        assertThat(shop.kinds()).containsExactly(Kind.EXCEPTION_EXPIRING);
    }

    @Test
    void ofTwoReplicasClaimingTheSameNoticeOnlyOneSendsIt() throws Exception {
        KubernetesNoticeLedger one = ledger();
        KubernetesNoticeLedger two = ledger();
        assertThat(one.claim("exception/production/EXC-42/x", clock.instant())).isTrue();
        assertThat(two.claim("exception/production/EXC-42/x", clock.instant())).isFalse();
        assertThat(two.claim("exception/production/EXC-43/x", clock.instant())).isTrue();
        assertThat(one.claim("exception/production/EXC-43/x", clock.instant())).isFalse();
    }

    @Test
    void nothingIsClaimedWhenNoNotifierIsConfigured() {
        clock.advance(Duration.ofDays(20));
        Notifications none = new Notifications(List.of(), env -> Owners.NONE, null);
        new ExceptionReminders(exceptions(), env -> ledger(), none, clock).reconciled(PRODUCTION, BLOCKED, Duration.ZERO);
        assertThat(server.client().configMaps().inNamespace("drawbridge-system").withName(KubernetesNoticeLedger.NAME).get())
                .isNull();
    }
}
