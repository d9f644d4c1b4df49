/**
 * Reconcile: the orchestration of the stages. {@link dev.drawbridge.reconcile.ReconcilePipeline} runs one
 * reconcile of one environment (source, guard, policy, render, inspect, verify, decide, pin, apply, record,
 * report) over {@link dev.drawbridge.reconcile.GateRun}, the gate half that {@code check} and pull-request
 * checks run; every failure is one {@link dev.drawbridge.reconcile.Reason}. Scheduling, retries and the
 * sharing of environments between replicas ({@link dev.drawbridge.reconcile.ReconcileLoop},
 * {@link dev.drawbridge.retry.Backoff}, {@link dev.drawbridge.reconcile.EnvironmentLeases}) live
 * here too, apart from the stages, which never sleep or retry. Depends on every stage and on
 * {@code config}; plain Java. See docs/architecture.md.
 */
package dev.drawbridge.reconcile;
