/**
 * The gate: evaluates an environment's {@link dev.drawbridge.policy.GatePolicy} against what the registry
 * says about every image of a revision (digest, age, scan result, SBOM) and against the manifests as a
 * whole, and decides PASS, BLOCK or ERROR. Could-not-verify is ERROR, never a pass, in any mode.
 * Depends on {@code image}, {@code registry} and {@code policy}.
 */
package dev.drawbridge.gate;
