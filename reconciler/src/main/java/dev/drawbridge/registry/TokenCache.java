package dev.drawbridge.registry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens per registry and scope, reused until shortly before they expire. Holds tokens in
 * memory only; {@link #toString()} never shows them.
 */
final class TokenCache {
    /** Refresh this long before the registry's expiry, so a token does not expire in flight. */
    private static final Duration MARGIN = Duration.ofSeconds(10);

    private record Entry(String token, Instant expiresAt) {
        @Override
        public String toString() {
            return "Entry[token=***, expiresAt=" + expiresAt + "]";
        }
    }

    private final Clock clock;
    private final Map<String, Entry> tokens = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    TokenCache(Clock clock) {
        this.clock = clock;
    }

    Optional<String> get(String key) {
        Entry e = tokens.get(key);
        if (e == null || !clock.instant().isBefore(e.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(e.token());
    }

    void put(String key, String token, Duration lifetime) {
        Duration usable = lifetime.compareTo(MARGIN.multipliedBy(2)) > 0 ? lifetime.minus(MARGIN) : lifetime;
        tokens.put(key, new Entry(token, clock.instant().plus(usable)));
    }

    /** One lock per key, so that concurrent requests fetch a token once and the others reuse it. */
    Object lock(String key) {
        return locks.computeIfAbsent(key, k -> new Object());
    }

    @Override
    public String toString() {
        return "TokenCache[" + tokens.size() + " tokens]";
    }
}
