package dev.drawbridge.apply;

import java.time.Duration;

/** Waits between polls; injectable so tests can advance a fake clock instead of sleeping. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;

    /** {@link Thread#sleep}. */
    static Sleeper system() {
        return duration -> Thread.sleep(duration.toMillis());
    }
}
