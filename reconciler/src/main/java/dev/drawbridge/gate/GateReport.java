package dev.drawbridge.gate;

import dev.drawbridge.values.CommitId;
import dev.drawbridge.values.EnvironmentName;

/**
 * A gate result for one environment at one revision, with the policy revision it was judged by.
 *
 * @param environment    environment name
 * @param revision       the Git sha of the manifests, null when unknown (e.g. a local directory)
 * @param policyRevision the Git sha of the policy, null when the policy could not be loaded
 * @param path           the rendered path (overlay) inside the repository
 * @param result         the gate's result
 */
public record GateReport(EnvironmentName environment, CommitId revision, String policyRevision, String path, GateResult result) {
}
