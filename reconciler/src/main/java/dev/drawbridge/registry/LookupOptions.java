package dev.drawbridge.registry;

import java.util.Set;

/**
 * Per-environment options of a lookup.
 *
 * @param platforms platforms to check in a multi-arch index, e.g. {@code linux/amd64}; empty means every
 *                  platform manifest of the index must be checked
 * @param sbom      whether the environment's policy requires an SBOM: the registry is then asked about SBOMs
 *                  where it tells of them only when asked (Harbor's accessories and SBOM overview)
 */
public record LookupOptions(Set<String> platforms, boolean sbom) {
    public static final LookupOptions ALL_PLATFORMS = new LookupOptions(Set.of(), false);

    public LookupOptions {
        platforms = Set.copyOf(platforms);
    }

    public LookupOptions(Set<String> platforms) {
        this(platforms, false);
    }
}
