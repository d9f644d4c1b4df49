package dev.drawbridge.gate;

import java.time.Duration;

/** Formats a policy duration back the way policies write it ({@code 90d}, {@code 12h}). */
final class Durations {
    private Durations() {
    }

    static String format(Duration d) {
        if (d.toDays() > 0 && d.equals(Duration.ofDays(d.toDays()))) {
            return d.toDays() + "d";
        }
        if (d.toHours() > 0 && d.equals(Duration.ofHours(d.toHours()))) {
            return d.toHours() + "h";
        }
        if (d.toMinutes() > 0 && d.equals(Duration.ofMinutes(d.toMinutes()))) {
            return d.toMinutes() + "m";
        }
        return d.toSeconds() + "s";
    }
}
