package dev.drawbridge.image;

import java.util.List;

/**
 * One image reference as written in the manifests, and the workloads that use exactly that spelling.
 * Two spellings of one image ({@code nginx}, {@code docker.io/library/nginx}) are two uses with the
 * same {@link ImageReference#normalized()}.
 *
 * @param reference the reference as written
 * @param parsed    the parsed, normalised reference
 * @param workloads sorted {@link WorkloadId}s of the objects using it
 */
public record ImageUse(String reference, ImageReference parsed, List<String> workloads) {
    public ImageUse {
        workloads = List.copyOf(workloads);
    }
}
