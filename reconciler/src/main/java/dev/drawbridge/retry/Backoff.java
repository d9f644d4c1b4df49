package dev.drawbridge.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * When to try again after consecutive failures: {@code initial}, doubled after each further failure up to
 * {@code max}, spread by {@code ±jitter} (a fraction of the wait) so that what failed together does not retry
 * in lockstep, for at most {@code maxAttempts} attempts (the first one included).
 *
 * @param maxAttempts attempts in all, the first one included ({@link Integer#MAX_VALUE}: no limit)
 * @param initial     the wait after the first failure
 * @param max         the longest wait
 * @param jitter      in [0, 1): the fraction of the wait by which it is spread; 0: exact waits
 * @param random      the source of the spread; unused (and may be null) without jitter
 */
public record Backoff(int maxAttempts, Duration initial, Duration max, double jitter, Random random) {

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (maxAttempts < 1 || initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("Invalid backoff: " + maxAttempts + " attempts, " + initial + ".." + max);
        }
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("jitter must be in [0, 1): " + jitter);
        }
        if (jitter > 0) {
            Objects.requireNonNull(random, "random");
        }
    }

    /** Exact waits, no jitter. */
    public Backoff(int maxAttempts, Duration initial, Duration max) {
        this(maxAttempts, initial, max, 0, null);
    }

    /** Without a limit of attempts, {@code ±jitter}. */
    public static Backoff exponential(Duration initial, Duration max, double jitter, Random random) {
        return new Backoff(Integer.MAX_VALUE, initial, max, jitter, random);
    }

    /** A failing reconcile: 5 s, 10 s, 20 s, ... up to 5 min, ±20 %, without end. */
    public static Backoff reconcile() {
        return exponential(Duration.ofSeconds(5), Duration.ofMinutes(5), 0.2, new Random());
    }

    /**
     * A delivery (a commit status, a comment, a notification): 2 s doubling to 2 min, 40 attempts, about 70
     * minutes, so a delivery outlives an outage of an hour (a reconcile that changes nothing posts nothing, so
     * a delivery given up on would never arrive).
     */
    public static Backoff delivery() {
        return new Backoff(40, Duration.ofSeconds(2), Duration.ofMinutes(2));
    }

    /** Whether {@code attempts} attempts used them all up. */
    public boolean exhausted(int attempts) {
        return attempts >= maxAttempts;
    }

    /**
     * The wait after {@code failures} consecutive failures (at least 1); with jitter at least a millisecond and
     * never over {@code max}.
     */
    public Duration delay(int failures) {
        Duration wait = initial;
        for (int i = 1; i < failures && wait.compareTo(max) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        wait = wait.compareTo(max) > 0 ? max : wait;
        if (jitter == 0) {
            return wait;
        }
        long base = wait.toMillis();
        long spread = (long) (base * jitter);
        long millis = base - spread + (spread == 0 ? 0 : (long) (random.nextDouble() * 2 * spread));
        return Duration.ofMillis(Math.max(1, Math.min(millis, max.toMillis())));
    }
}
