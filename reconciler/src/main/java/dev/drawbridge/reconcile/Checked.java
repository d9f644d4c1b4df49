package dev.drawbridge.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.policy.GatePolicy;

import java.util.List;

/**
 * What the gate stages of the reconcile (source to promotion evidence) found: the report; the rendered objects
 * (empty when rendering did not work); the reason when a stage failed before images could be judged (null when
 * it did not); the policy the revision was judged by (null when it could not be loaded).
 */
public record Checked(GateReport report, List<ObjectNode> objects, Reason failure, GatePolicy policy) {

    public Checked {
        objects = KeptRender.unmodifiable(objects);
    }
}
