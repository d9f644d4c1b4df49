package dev.drawbridge.gate;

import java.util.List;

/**
 * The gate's result for a whole revision.
 *
 * @param decision           PASS, BLOCK or ERROR
 * @param images             one verdict per image reference, in the order of the rendered manifests
 * @param manifestViolations rules about the manifests as a whole (e.g. a namespace without a NetworkPolicy)
 * @param errors             what could not be checked, one line each
 * @param skipped            rules that were not evaluated on request (e.g. {@code promotion.evidence})
 */
public record GateResult(Decision decision, List<ImageVerdict> images, List<Violation> manifestViolations,
                         List<String> errors, List<String> skipped) {
    public GateResult {
        images = List.copyOf(images);
        manifestViolations = List.copyOf(manifestViolations);
        errors = List.copyOf(errors);
        skipped = List.copyOf(skipped);
    }

    /** A revision that could not be checked at all (render failure, bad policy, unreachable source). */
    public static GateResult error(List<String> errors) {
        return new GateResult(Decision.ERROR, List.of(), List.of(), errors, List.of());
    }
}
