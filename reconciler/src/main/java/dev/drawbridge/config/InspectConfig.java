package dev.drawbridge.config;

import java.util.List;

/** {@code inspect:} where else images hide, beyond pod specs ({@code extra-image-paths}). */
public record InspectConfig(List<ExtraImagePath> extraImagePaths) {
    public InspectConfig {
        extraImagePaths = List.copyOf(extraImagePaths);
    }

    /**
     * A field of a custom resource that holds an image reference.
     *
     * @param apiVersion optional; any version when null
     * @param kind       e.g. {@code Rollout}
     * @param path       the field, e.g. {@code spec.image}
     */
    public record ExtraImagePath(String apiVersion, String kind, String path) {
    }
}
