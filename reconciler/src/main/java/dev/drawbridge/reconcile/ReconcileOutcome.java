package dev.drawbridge.reconcile;

import dev.drawbridge.apply.ChangeSet;
import dev.drawbridge.gate.GateReport;

/**
 * What one reconcile of one environment did: applied (possibly nothing changed), blocked by the gate,
 * or failed at a stage. A blocked or failed reconcile changed nothing in the cluster, except what an
 * apply that failed half-way had already written ({@link Failed#changes()}); nothing is pruned then.
 */
public sealed interface ReconcileOutcome {

    GateReport report();

    /** The gate passed and the revision was applied; {@code changes} may be all unchanged. */
    record Applied(GateReport report, ChangeSet changes) implements ReconcileOutcome {
    }

    /** The gate blocked the revision: nothing was applied. */
    record Blocked(GateReport report) implements ReconcileOutcome {
    }

    /** A stage failed: {@code reason} names it and {@code message} says what a human can do about it. */
    record Failed(GateReport report, Reason reason, String message, ChangeSet changes) implements ReconcileOutcome {
    }
}
