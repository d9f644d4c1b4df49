/**
 * The records of what the gate decided and what was posted, kept in each environment's cluster so that a restart
 * or a second replica loses nothing and sends nothing twice. A {@link dev.drawbridge.decision.DecisionRecord} per
 * environment, revision and policy revision, written and read through a {@link dev.drawbridge.decision.DecisionStore}
 * ({@link dev.drawbridge.decision.KubernetesDecisionStore}: {@code DecisionRecord} custom resources, CRD in
 * {@code deploy/}); promotion evidence ({@code promotion.evidence}) is read by digest from the applied PASS records
 * of the environment promoted from. Beside them, the {@link dev.drawbridge.decision.NoticeLedger} of one-time notices
 * already sent ({@link dev.drawbridge.decision.KubernetesNoticeLedger}: one ConfigMap), claimed before sending, so a
 * notice goes out at most once. A failure is a {@link dev.drawbridge.decision.DecisionStoreException} with one reason.
 * Depends on {@code apply} (each cluster's shared client, {@code Cluster}, object references, ownership labels, the
 * read-ahead threads) and the shared {@code json} mappers; Fabric8 is allowed here as in {@code apply}.
 */
package dev.drawbridge.decision;
