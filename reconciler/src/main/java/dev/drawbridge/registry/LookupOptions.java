package dev.drawbridge.registry;

import java.util.Set;

/**
 * Per-environment options of a lookup.
 *
 * @param platforms platforms to check in a multi-arch index, e.g. {@code linux/amd64}; empty means every
 *                  platform manifest of the index must be checked
 */
public record LookupOptions(Set<String> platforms) {
    public static final LookupOptions ALL_PLATFORMS = new LookupOptions(Set.of());

    public LookupOptions {
        platforms = Set.copyOf(platforms);
    }
}
