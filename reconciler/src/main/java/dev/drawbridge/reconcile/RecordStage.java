package dev.drawbridge.reconcile;

import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.decision.DecisionRecord;
import dev.drawbridge.decision.DecisionStoreException;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.gate.Violation;
import dev.drawbridge.report.StatusDescription;
import dev.drawbridge.values.CommitId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;

/**
 * Stage {@code record}: the decision record of a reconcile in its environment's cluster (docs/operations.md): what
 * was decided, for which digests, and whether it was applied. Promotion evidence is read from these, so a record
 * that cannot be written is logged loudly; the next environment then lacks evidence and fails closed.
 */
final class RecordStage {

    private static final Logger log = LoggerFactory.getLogger(RecordStage.class);

    private final DecisionStores stores;
    private final Clock clock;

    RecordStage(DecisionStores stores, Clock clock) {
        this.stores = stores;
        this.clock = clock;
    }

    /** The record of this revision is written at the run's end; the store may prepare for it meanwhile. */
    void expect(EnvironmentConfig env, CommitId sha, String policySha) {
        try {
            stores.of(env).expect(env.name(), sha, policySha);
        } catch (RuntimeException e) {
            log.debug("{}: decision record not prepared: {}", env.name(), e.getMessage()); // recorded as usual
        }
    }

    void record(EnvironmentConfig env, ReconcileOutcome outcome) {
        GateReport report = outcome.report();
        List<DecisionRecord.RecordedImage> images = report.result().images().stream()
                .map(v -> new DecisionRecord.RecordedImage(v.reference(), v.digest() == null ? null : v.digest().toString(),
                        v.verdict().name(), v.violations().stream().map(Violation::rule).distinct().toList()))
                .toList();
        String reason = outcome instanceof ReconcileOutcome.Failed failed ? failed.reason().name()
                : outcome instanceof ReconcileOutcome.Blocked ? Reason.GATE_BLOCKED.name() : null;
        DecisionRecord record = new DecisionRecord(env.name(), report.revision() == null ? null : report.revision().hex(), report.policyRevision(),
                report.result().decision().name(), clock.instant(), images,
                outcome instanceof ReconcileOutcome.Applied, reason, StatusDescription.of(report.result()));
        try {
            stores.of(env).record(record);
        } catch (DecisionStoreException | RuntimeException e) {
            log.warn("{}: could not keep the decision record: {}", env.name(), e.getMessage());
        }
    }
}
