package dev.drawbridge.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.gate.ImageVerdict;
import dev.drawbridge.image.ImageInspector;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Stage {@code pin}: what runs is what was verified; every image reference is replaced by its verified digest. */
final class PinStage {

    private PinStage() {
    }

    static List<ObjectNode> pin(ImageInspector inspector, List<ObjectNode> objects, GateReport report) throws StageFailure {
        try {
            return inspector.pin(objects, pins(report));
        } catch (IllegalArgumentException e) {
            throw new StageFailure(Reason.GATE_ERROR, e.getMessage());
        }
    }

    /** The verified, pinned form of each reference as written: {@code host/repository@sha256:...}. */
    static Map<String, String> pins(GateReport report) {
        Map<String, String> pins = new HashMap<>();
        for (ImageVerdict v : report.result().images()) {
            if (v.digest() != null) {
                pins.put(v.reference(), v.image().pinned(v.digest()));
            }
        }
        return pins;
    }
}
