package dev.drawbridge.report.forge;

import dev.drawbridge.values.CommitId;

import java.util.Objects;

/**
 * One commit status as Drawbridge posts it, whatever the forge.
 *
 * @param sha         the commit the status is about
 * @param branch      the branch the commit was reconciled from ({@code env/dev}); GitLab needs it as {@code ref};
 *                    may be null
 * @param context     {@code drawbridge/<environment>}
 * @param state       the outcome
 * @param description at most {@value #MAX_DESCRIPTION} characters; longer text is cut and ends with {@code …}
 * @param targetUrl   the decision page; may be null
 */
public record CommitStatus(CommitId sha, String branch, String context, State state, String description,
                           String targetUrl) {

    public static final int MAX_DESCRIPTION = 140;

    /** The states Drawbridge reports; each forge maps them to its own names. */
    public enum State {
        PENDING, SUCCESS, FAILURE, ERROR
    }

    public CommitStatus {
        if (sha == null) {
            throw new IllegalArgumentException("Invalid commit sha: " + sha);
        }
        if (context == null || context.isBlank()) {
            throw new IllegalArgumentException("Invalid status context: " + context);
        }
        Objects.requireNonNull(state, "state");
        description = truncate(description == null ? "" : description.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip());
    }

    /** sha and context: a forge keeps one current status per key. */
    public String key() {
        return sha + " " + context;
    }

    static String truncate(String text) {
        if (text.length() <= MAX_DESCRIPTION) {
            return text;
        }
        int end = MAX_DESCRIPTION - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // never split a surrogate pair
        }
        return text.substring(0, end) + "…";
    }

    @Override
    public String toString() {
        return context + "@" + sha.abbreviated() + " " + state;
    }
}
