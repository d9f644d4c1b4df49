package dev.drawbridge.yaml;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean ...": the candidate closest to a misspelled word, within an edit distance of 2. */
public final class Suggestions {
    private Suggestions() {
    }

    /**
     * The closest candidate: one equal but for case and {@code -}/{@code _} (so {@code pollInterval}
     * finds {@code poll-interval}), else one within an edit distance of 2 of an input longer than 2.
     */
    public static Optional<String> closest(String input, Collection<String> candidates) {
        String folded = fold(input);
        for (String candidate : candidates) {
            if (fold(candidate).equals(folded)) {
                return Optional.of(candidate);
            }
        }
        if (input.length() <= 2) {
            return Optional.empty();
        }
        String best = null;
        int bestDistance = 3;
        for (String candidate : candidates) {
            int d = distance(input, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** {@code (did you mean "x"?)} with a leading space, or an empty string. */
    public static String hint(String input, Collection<String> candidates) {
        return closest(input, candidates).map(c -> " (did you mean \"" + c + "\"?)").orElse("");
    }

    private static String fold(String s) {
        return s.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
