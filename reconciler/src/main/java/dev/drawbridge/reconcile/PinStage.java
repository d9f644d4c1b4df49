package dev.drawbridge.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.apply.Origins;
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

    /** Objects pinned to their verified digests, and what each was made from (null when that is not known). */
    record Pinned(List<ObjectNode> objects, Origins origins) {
    }

    /** What pinned objects are made with besides their rendered form: the digests, and the pinning that wrote them. */
    private record Context(ImageInspector inspector, Map<String, String> pins) {
    }

    /**
     * The rendered {@code objects} pinned to the digests of {@code report}; with their origins when they are those
     * of a kept render: each object's rendered JSON, in the context of the pins and the inspector that wrote them.
     */
    static Pinned pin(ImageInspector inspector, List<ObjectNode> objects, GateReport report) throws StageFailure {
        Map<String, String> pins = pins(report);
        List<KeptRender.Origin> origins = KeptRender.originsOf(objects);
        try {
            return new Pinned(inspector.pin(objects, pins),
                    origins == null ? null : new Origins(new Context(inspector, pins), origins));
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
