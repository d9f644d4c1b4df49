package dev.drawbridge.retry;

import java.time.Duration;

/** Waits; injected so that backoff, rate-limit waits and polls can be tested by moving a clock instead of sleeping. */
@FunctionalInterface
public interface Sleeper {

    /** {@link Thread#sleep}; a zero or negative duration returns at once. */
    Sleeper SYSTEM = duration -> {
        if (!duration.isNegative() && !duration.isZero()) {
            Thread.sleep(duration.toMillis());
        }
    };

    void sleep(Duration duration) throws InterruptedException;
}
