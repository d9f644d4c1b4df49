package dev.drawbridge.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A point in time as a page shows it: relative to the server's clock ({@code 3 min ago}, {@code in 40 s}),
 * with the exact ISO-8601 time for a {@code title} and a {@code <time datetime>}. Computed on the server, so
 * pages need no script and every reader sees the same words.
 *
 * @param relative {@code just now}, {@code 12 s ago}, {@code 3 min ago}, {@code 5 h ago}, {@code 2 days ago}, {@code in 4 min}
 * @param iso      the exact time, e.g. {@code 2026-12-03T16:40:59Z}; empty when there is none
 */
record Moment(String relative, String iso) {

    static final Moment NEVER = new Moment("never", "");

    /** {@code at} relative to {@code clock}'s now; {@link #NEVER} for null. */
    static Moment of(Instant at, Clock clock) {
        if (at == null) {
            return NEVER;
        }
        Duration between = Duration.between(at, clock.instant());
        String iso = at.truncatedTo(ChronoUnit.SECONDS).toString();
        if (between.isNegative()) {
            return new Moment("in " + span(between.negated()), iso);
        }
        return new Moment(between.toSeconds() < 5 ? "just now" : span(between) + " ago", iso);
    }

    private static String span(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return Math.max(s, 1) + " s";
        }
        if (s < 3600) {
            return s / 60 + " min";
        }
        if (s < 86_400 * 2) {
            return s / 3600 + " h";
        }
        return s / 86_400 + " days";
    }
}
