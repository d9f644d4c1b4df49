package dev.drawbridge.web;

import dev.drawbridge.reconcile.Reason;
import dev.drawbridge.reconcile.ReconcileOutcome;
import dev.drawbridge.report.StatusDescription;
import dev.drawbridge.values.EnvironmentName;

/** The words the web layer uses for an outcome: its kind, its reason and a one-line message. */
final class Outcomes {
    private Outcomes() {
    }

    /** {@code applied}, {@code blocked} or {@code failed}; {@code pending} before the first reconcile. */
    static String kind(ReconcileOutcome outcome) {
        if (outcome instanceof ReconcileOutcome.Applied) {
            return "applied";
        }
        if (outcome instanceof ReconcileOutcome.Blocked) {
            return "blocked";
        }
        return outcome instanceof ReconcileOutcome.Failed ? "failed" : "pending";
    }

    /** The reason of a blocked or failed outcome, null for an applied one (or none yet). */
    static Reason reason(ReconcileOutcome outcome) {
        if (outcome instanceof ReconcileOutcome.Blocked) {
            return Reason.GATE_BLOCKED;
        }
        return outcome instanceof ReconcileOutcome.Failed f ? f.reason() : null;
    }

    /** What a human reads first: the change summary, the blocking description, or the failure message. */
    static String message(ReconcileOutcome outcome) {
        if (outcome instanceof ReconcileOutcome.Applied a) {
            return "applied: " + a.changes().summary();
        }
        if (outcome instanceof ReconcileOutcome.Blocked b) {
            return StatusDescription.of(b.report().result());
        }
        if (outcome instanceof ReconcileOutcome.Failed f) {
            return f.message();
        }
        return "not reconciled yet";
    }

    /** The decision page of a revision, relative to the server root. */
    static String decisionPath(EnvironmentName environment, String revision) {
        return "/environments/" + environment + "/decisions/" + revision;
    }
}
