package dev.drawbridge.report.forge;

import java.time.Duration;

/** Waits; injected so that rate-limit waits and backoff can be tested without sleeping. */
@FunctionalInterface
public interface Sleeper {

    Sleeper SYSTEM = duration -> {
        if (!duration.isNegative() && !duration.isZero()) {
            Thread.sleep(duration.toMillis());
        }
    };

    void sleep(Duration duration) throws InterruptedException;
}
