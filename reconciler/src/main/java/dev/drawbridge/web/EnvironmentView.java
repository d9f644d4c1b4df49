package dev.drawbridge.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.promotion.Promotions;
import dev.drawbridge.reconcile.EnvironmentStatus;
import dev.drawbridge.reconcile.Ownership;
import dev.drawbridge.reconcile.Reason;
import dev.drawbridge.reconcile.ReconcileOutcome;
import dev.drawbridge.report.CheckJson;

import java.time.Instant;

/**
 * One environment as the REST API shows it.
 *
 * @param outcome      {@code pending}, {@code applied}, {@code blocked} or {@code failed}
 * @param reason       the {@link Reason} of a blocked or failed outcome, else null
 * @param decision     the gate's PASS, BLOCK or ERROR, null before the first reconcile
 * @param message      the change summary, the blocking description or what failed
 * @param decisionPage the decision page of the last revision (relative), null without a revision
 * @param holdsLease   whether this replica holds the environment (always, without {@code leases})
 * @param leaseHolder  the replica that holds it, when known
 * @param report       the last gate report, as {@code check --format json} prints it (only for one environment)
 * @param promotion    the promotion request into this environment (only for one environment with {@code promotion})
 */
record EnvironmentView(String name, String branch, String path, String outcome, String reason, String decision,
                       String revision, String policyRevision, String message, Instant finishedAt, Long tookMillis,
                       int consecutiveFailures, Instant nextRun, boolean healthy, String decisionPage,
                       boolean holdsLease, @JsonInclude(JsonInclude.Include.NON_NULL) String leaseHolder,
                       @JsonInclude(JsonInclude.Include.NON_NULL) ObjectNode report,
                       @JsonInclude(JsonInclude.Include.NON_NULL) Promotions.EdgeState promotion) {

    static EnvironmentView of(EnvironmentConfig env, EnvironmentStatus status, Ownership ownership, boolean withReport) {
        return of(env, status, ownership, withReport, null);
    }

    static EnvironmentView of(EnvironmentConfig env, EnvironmentStatus status, Ownership ownership, boolean withReport,
                              Promotions.EdgeState promotion) {
        ReconcileOutcome last = status.last();
        Reason reason = Outcomes.reason(last);
        String revision = last == null || last.report().revision() == null ? null : last.report().revision().hex();
        return new EnvironmentView(env.name().value(), env.branch(), env.path(), Outcomes.kind(last),
                reason == null ? null : reason.name(),
                last == null ? null : last.report().result().decision().name(),
                revision, last == null ? null : last.report().policyRevision(), Outcomes.message(last),
                status.finishedAt(), status.took() == null ? null : status.took().toMillis(),
                status.consecutiveFailures(), status.nextRun(), status.healthy(),
                revision == null ? null : Outcomes.decisionPath(env.name(), revision),
                ownership.holds(env.name()), ownership.holder(env.name()),
                withReport && last != null ? CheckJson.toJson(last.report()) : null, promotion);
    }
}
