/**
 * The waits of an apply: {@link dev.drawbridge.apply.health.Health} decides from its status whether a live workload
 * rolled out, as {@code kubectl rollout status} does (Deployments, StatefulSets, DaemonSets; Jobs complete), and
 * {@link dev.drawbridge.apply.health.Waits} polls, on the injected clock, until applied CRDs are established and
 * applied workloads are healthy (else {@code HEALTH_FAILED} naming them). Part of the apply stage: used by
 * {@link dev.drawbridge.apply.KubernetesApplier} only. Depends on {@code apply} ({@code Cluster}, object references,
 * apply order, the applier's failures) and the shared {@code retry} sleeper; not on {@code apply.inventory}.
 */
package dev.drawbridge.apply.health;
