package dev.drawbridge.image;

import java.util.List;

/**
 * One image reference as written in the rendered manifests, and the workloads that use it.
 *
 * @param reference the reference exactly as written
 * @param parsed    its parsed, normalised form
 * @param workloads sorted ids of the workloads using it, e.g. {@code apps/v1/Deployment/shop/api}
 */
public record ImageUse(String reference, ImageReference parsed, List<String> workloads) {
    public ImageUse {
        workloads = List.copyOf(workloads);
    }
}
