package dev.drawbridge.image;

import java.util.Objects;

/**
 * Where a custom kind keeps an image reference outside a pod spec, e.g. kind {@code Kafka},
 * path {@code spec.image}, or {@code spec.components[].image}.
 *
 * @param apiVersion the apiVersion to match, or null for any
 * @param kind       the kind to match
 * @param path       dotted field path; {@code name[]} steps into every element of an array and
 *                   {@code *} into every field of a mapping (or element of an array). The value found
 *                   must be a string; a path that finds nothing is not an error.
 */
public record ExtraImagePath(String apiVersion, String kind, String path) {
    public ExtraImagePath {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(path, "path");
        if (path.isBlank() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
            throw new IllegalArgumentException("invalid image path '" + path + "' for kind " + kind);
        }
    }

    boolean matches(String objectApiVersion, String objectKind) {
        return kind.equals(objectKind) && (apiVersion == null || apiVersion.equals(objectApiVersion));
    }
}
