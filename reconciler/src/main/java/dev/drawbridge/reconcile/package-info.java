/**
 * Reconcile: the pipeline as a short orchestrator of the stages (source, render, inspect, verify,
 * decide; apply and report in later steps), returning typed outcomes. {@link dev.drawbridge.reconcile.GateRun}
 * is the gate half that {@code check} runs. Depends on every stage and on {@code config}; plain Java.
 */
package dev.drawbridge.reconcile;
