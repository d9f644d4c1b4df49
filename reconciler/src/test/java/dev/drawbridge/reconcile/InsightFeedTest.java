package dev.drawbridge.reconcile;

import dev.drawbridge.decision.DecisionRecord;
import dev.drawbridge.decision.DecisionStore;
import dev.drawbridge.decision.DecisionStoreException;
import dev.drawbridge.gate.Decision;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.gate.GateResult;
import dev.drawbridge.gate.ImageVerdict;
import dev.drawbridge.gate.Verdict;
import dev.drawbridge.gate.Violation;
import dev.drawbridge.image.ImageReference;
import dev.drawbridge.image.Severity;
import dev.drawbridge.values.CommitId;
import dev.drawbridge.values.EnvironmentName;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The loop's reconciles feed insight; the decision history is read once per head, never on a read of the view. */
class InsightFeedTest {

    static final Instant NOW = Instant.parse("2027-01-17T10:00:00Z");
    static final String API = "harbor.example.com/prod/shop/api:1.4.2";

    final AtomicInteger historyReads = new AtomicInteger();
    final DecisionStore store = new DecisionStore() {
        @Override
        public void record(DecisionRecord record) {
        }

        @Override
        public Set<String> appliedPassDigests(EnvironmentName environment) {
            return Set.of();
        }

        @Override
        public Optional<DecisionRecord> latest(EnvironmentName environment) {
            return Optional.empty();
        }

        @Override
        public Optional<DecisionRecord> latestApplied(EnvironmentName environment) {
            return Optional.empty();
        }

        @Override
        public List<DecisionRecord> history(EnvironmentName environment) throws DecisionStoreException {
            historyReads.incrementAndGet();
            return List.of(new DecisionRecord(environment, "c".repeat(40), "b".repeat(40), "BLOCK", NOW.minus(Duration.ofHours(5)),
                    List.of(new DecisionRecord.RecordedImage("harbor.example.com/prod/shop/api:1.4.1", null, "BLOCK")), false,
                    "GATE_BLOCKED", ""));
        }
    };

    static ReconcileOutcome blocked(String revision) {
        ImageVerdict api = new ImageVerdict(API, ImageReference.parse(API), null, List.of("apps/v1/Deployment/shop/api"),
                Verdict.BLOCK, List.of(new Violation("scan.severity", "CVE-2026-1234 CRITICAL in openssl", "update openssl",
                "CVE-2026-1234", Severity.CRITICAL, "openssl", "3.0.15")), List.of());
        return new ReconcileOutcome.Blocked(new GateReport(EnvironmentName.of("production"), CommitId.of(revision), "b".repeat(40), "overlays/production",
                new GateResult(Decision.BLOCK, List.of(api), List.of(), List.of(), List.of())));
    }

    @Test
    void readsTheHistoryOncePerHeadAndServesTheViewWithoutLookingAnythingUp() {
        InsightFeed feed = new InsightFeed(Map.of("production", 2), env -> NotificationsTest.OWNERS, env -> Optional.empty(),
                env -> store, Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(feed.current().priorities()).isEmpty();

        feed.reconciled(NotificationsTest.PRODUCTION, blocked("a".repeat(40)), Duration.ZERO);
        feed.reconciled(NotificationsTest.PRODUCTION, blocked("a".repeat(40)), Duration.ZERO);
        assertThat(historyReads).hasValue(1);
        assertThat(feed.current().priorities()).extracting(p -> p.finding()).containsExactly("CVE-2026-1234");
        assertThat(feed.current().priorities().get(0).teams()).containsExactly("team-shop");
        assertThat(feed.current().team("team-shop").orElseThrow().daysSinceProductionBlock()).isZero();
        assertThat(historyReads).hasValue(1);

        feed.reconciled(NotificationsTest.PRODUCTION, blocked("d".repeat(40)), Duration.ZERO); // a new head
        assertThat(historyReads).hasValue(2);
    }
}
