package dev.drawbridge.registry;

/**
 * Counters of a {@link RegistryLookup} since it was made, for metrics.
 *
 * @param lookups              digest lookups performed against a registry (manifests, configs and scan)
 * @param cacheHits            digest lookups answered from the cache
 * @param coalesced            digest lookups that waited for the same lookup already in flight
 * @param tagResolutions       tag to digest resolutions (never cached: a tag can move)
 * @param httpRequests         HTTP requests sent, token requests included
 * @param referrersTagFallbacks times the referrers API answered 404 and the {@code sha256-<hex>} tag was read
 */
public record RegistryStats(long lookups, long cacheHits, long coalesced, long tagResolutions, long httpRequests,
                            long referrersTagFallbacks) {
}
