package dev.drawbridge.web;

import dev.drawbridge.apply.ChangeSetEntry;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.reconcile.Reason;
import dev.drawbridge.reconcile.ReconcileOutcome;
import dev.drawbridge.report.StatusDescription;

import java.time.Clock;
import java.util.List;

/**
 * What the decision page ({@code /environments/ENV/decisions/SHA}, the target_url of every commit status)
 * shows: one reconcile of one revision, its images, violations and fixes, and the other revisions kept.
 */
record DecisionPage(EnvironmentConfig environment, GateReport report, String revisionShort, String decision,
                    String description, String outcome, String reasonSuffix, String message, Moment finishedAt,
                    long tookMillis, List<String> changes, List<OtherRevision> others) {

    /** Another revision of the same environment, newest first. */
    record OtherRevision(String revisionShort, String path, String decision, Moment finishedAt) {
    }

    static DecisionPage of(EnvironmentConfig env, DecisionHistory.Entry entry, List<DecisionHistory.Entry> all, Clock clock) {
        ReconcileOutcome outcome = entry.outcome();
        GateReport report = outcome.report();
        List<OtherRevision> others = all.stream().filter(o -> !o.revision().equals(entry.revision()))
                .map(o -> new OtherRevision(shortSha(o.revision()), Outcomes.decisionPath(env.name(), o.revision()),
                        o.outcome().report().result().decision().name(), Moment.of(o.finishedAt(), clock)))
                .toList();
        return new DecisionPage(env, report, shortSha(entry.revision()), report.result().decision().name(),
                StatusDescription.of(report.result()), Outcomes.kind(outcome), reasonSuffix(outcome),
                Outcomes.message(outcome), Moment.of(entry.finishedAt(), clock), entry.took().toMillis(),
                written(outcome), others);
    }

    /** The objects written to the cluster (and drift undone) by an apply, also by one that failed half-way. */
    private static List<String> written(ReconcileOutcome outcome) {
        if (outcome instanceof ReconcileOutcome.Applied a) {
            return a.changes().entries().stream().filter(e -> e.action().isWrite() || e.drift())
                    .map(ChangeSetEntry::toString).toList();
        }
        if (outcome instanceof ReconcileOutcome.Failed f) {
            return f.changes().entries().stream().filter(e -> e.action().isWrite()).map(ChangeSetEntry::toString).toList();
        }
        return List.of();
    }

    static String reasonSuffix(ReconcileOutcome outcome) {
        Reason reason = Outcomes.reason(outcome);
        return reason == null ? "" : " (" + reason.name() + ")";
    }

    static String shortSha(String sha) {
        return sha == null ? "" : sha.length() > 12 ? sha.substring(0, 12) : sha;
    }
}
