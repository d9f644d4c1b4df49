package dev.drawbridge.registry;

import dev.drawbridge.image.ImageReference;

import java.util.Collection;
import java.util.Map;

/** The port the gate verifies through: facts for each image, or why they could not be had. */
@FunctionalInterface
public interface ImageLookup {
    Map<ImageReference, LookupResult> lookupAll(Collection<ImageReference> images, LookupOptions options);
}
