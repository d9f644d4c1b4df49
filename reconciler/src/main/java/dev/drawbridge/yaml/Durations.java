package dev.drawbridge.yaml;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written in configuration and policies: a number and a unit, {@code ms}, {@code s},
 * {@code m}, {@code h} or {@code d} (a day is 24 hours), or several from the largest unit to the
 * smallest, such as {@code 1h30m}. {@code 0} needs no unit. Weeks are not supported: write {@code 14d}.
 */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");
    private static final String EXPECTED = "(expected e.g. 30s, 15m, 12h, 7d)";

    private Durations() {
    }

    /** Parses a duration; refuses empty, negative, unitless (other than 0) or malformed input, naming it. */
    public static Duration parse(String input) {
        if (input == null || input.isBlank()) {
            throw new IllegalArgumentException("invalid duration \"" + (input == null ? "" : input) + "\" " + EXPECTED);
        }
        if (input.startsWith("-")) {
            throw new IllegalArgumentException("invalid duration \"" + input + "\": must not be negative");
        }
        if (input.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = PART.matcher(input);
        Duration total = Duration.ZERO;
        int position = 0;
        int previousRank = Integer.MAX_VALUE;
        while (position < input.length()) {
            if (!m.find(position) || m.start() != position) {
                throw new IllegalArgumentException("invalid duration \"" + input + "\" " + EXPECTED);
            }
            int rank = rank(m.group(2));
            if (rank >= previousRank) {
                throw new IllegalArgumentException("invalid duration \"" + input
                        + "\": write the units once each, from the largest to the smallest (e.g. 1h30m)");
            }
            previousRank = rank;
            total = total.plus(unit(m.group(2)).multipliedBy(Long.parseLong(m.group(1))));
            position = m.end();
        }
        return total;
    }

    /** The shortest form that {@link #parse} reads back, e.g. {@code 1h30m}, {@code 7d}, {@code 0}. */
    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0";
        }
        StringBuilder b = new StringBuilder();
        long millis = duration.toMillis();
        for (String unit : new String[] {"d", "h", "m", "s", "ms"}) {
            long size = unit(unit).toMillis();
            if (millis >= size) {
                b.append(millis / size).append(unit);
                millis %= size;
            }
        }
        return b.toString();
    }

    private static int rank(String unit) {
        return switch (unit) {
            case "ms" -> 0;
            case "s" -> 1;
            case "m" -> 2;
            case "h" -> 3;
            default -> 4;
        };
    }

    private static Duration unit(String unit) {
        return switch (unit) {
            case "ms" -> Duration.ofMillis(1);
            case "s" -> Duration.ofSeconds(1);
            case "m" -> Duration.ofMinutes(1);
            case "h" -> Duration.ofHours(1);
            default -> Duration.ofDays(1);
        };
    }
}
