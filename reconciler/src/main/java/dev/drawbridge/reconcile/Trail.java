package dev.drawbridge.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.gate.GateResult;
import dev.drawbridge.policy.GatePolicy;
import dev.drawbridge.values.CommitId;
import dev.drawbridge.values.EnvironmentName;

import java.util.List;

/**
 * What the gate stages of one run found so far: the revision and path, the policy and its revision, the rendered
 * objects. A run that ends early is reported with what was known when it ended. One per run, on its thread.
 */
final class Trail {

    private final EnvironmentName environment;
    private CommitId revision;
    private String path;
    private String policyRevision;
    private GatePolicy policy;
    private List<ObjectNode> objects = List.of();

    Trail(Run run) {
        this.environment = run.env().name();
        this.path = run.env().path();
    }

    void tree(SourceStage.Tree tree) {
        revision = tree.revision();
        path = tree.path();
    }

    /** The policy loaded for the run; its failure ends the run, with the policy revision in the report. */
    void policy(PolicySource.Loaded loaded) throws StageFailure {
        policyRevision = loaded.revision();
        if (!loaded.ok()) {
            throw new StageFailure(loaded.revision() == null ? Reason.SOURCE_FAILED : Reason.POLICY_FAILED, loaded.errors());
        }
        policy = loaded.policy();
    }

    void objects(List<ObjectNode> rendered) {
        objects = rendered;
    }

    CommitId revision() {
        return revision;
    }

    String policyRevision() {
        return policyRevision;
    }

    GatePolicy policy() {
        return policy;
    }

    List<ObjectNode> objects() {
        return objects;
    }

    Checked checked(GateResult result) {
        return new Checked(new GateReport(environment, revision, policyRevision, path, result), objects, null, policy);
    }

    Checked failed(StageFailure failure) {
        return new Checked(new GateReport(environment, revision, policyRevision, path, GateResult.error(failure.errors())),
                List.of(), failure.reason(), policy);
    }
}
