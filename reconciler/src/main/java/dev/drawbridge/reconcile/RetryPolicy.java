package dev.drawbridge.reconcile;

import java.time.Duration;
import java.util.Random;

/**
 * When to try again after consecutive failures (one-method strategy, kept apart from the stages as in
 * Java Operator SDK). {@link #exponential} doubles from {@code initial} up to {@code max}, with jitter so
 * that environments failing together do not retry in lockstep.
 */
@FunctionalInterface
public interface RetryPolicy {

    /** @param failures consecutive failures so far, at least 1 */
    Duration delay(int failures);

    static RetryPolicy exponential(Duration initial, Duration max, double jitter, Random random) {
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("jitter must be in [0, 1): " + jitter);
        }
        return failures -> {
            long base = initial.toMillis();
            for (int i = 1; i < failures && base < max.toMillis(); i++) {
                base *= 2;
            }
            base = Math.min(base, max.toMillis());
            long spread = (long) (base * jitter);
            long millis = base - spread + (spread == 0 ? 0 : (long) (random.nextDouble() * 2 * spread));
            return Duration.ofMillis(Math.max(1, Math.min(millis, max.toMillis())));
        };
    }

    /** 5s, 10s, 20s, ... up to 5m, ±20%. */
    static RetryPolicy defaults() {
        return exponential(Duration.ofSeconds(5), Duration.ofMinutes(5), 0.2, new Random());
    }
}
