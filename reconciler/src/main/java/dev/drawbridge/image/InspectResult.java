package dev.drawbridge.image;

import java.util.List;

/**
 * What inspect found: every image reference, sorted by reference, and every problem, in object order.
 * A revision with errors cannot be verified and must not be applied.
 */
public record InspectResult(List<ImageUse> images, List<InspectError> errors) {
    public InspectResult {
        images = List.copyOf(images);
        errors = List.copyOf(errors);
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }
}
