/**
 * Reconcile: the orchestration of the stages. {@link dev.drawbridge.reconcile.ReconcilePipeline} runs one
 * reconcile of one environment as one list of stage calls (source, guard, policy, pending, render, inspect, verify,
 * promotion evidence, decide, pin, apply, record, report), each in its own class ({@code SourceStage},
 * {@code RenderStage}, {@code ApplyStage}, ...); {@code check} and pull-request checks run a prefix of the same list;
 * every failure is one {@link dev.drawbridge.reconcile.Reason}. Scheduling, retries and the
 * sharing of environments between replicas ({@link dev.drawbridge.reconcile.ReconcileLoop},
 * {@link dev.drawbridge.retry.Backoff}, {@link dev.drawbridge.reconcile.EnvironmentLeases}) live
 * here too, apart from the stages, which never sleep or retry. Depends on every stage, on the decision records
 * ({@code decision}) and on {@code config}; plain Java. See docs/architecture.md.
 */
package dev.drawbridge.reconcile;
