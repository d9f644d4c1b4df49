package dev.drawbridge.config;

import java.time.Duration;

/** {@code cache:} registry lookups (digest, scan result) are cached for {@code ttl}, default 5m. */
public record CacheConfig(Duration ttl) {
}
