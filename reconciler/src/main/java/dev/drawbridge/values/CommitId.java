package dev.drawbridge.values;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A Git commit id: the full hex of a SHA-1 (40 characters) or SHA-256 (64) object name, lower-case. Written as
 * the plain hex, in text and in JSON; {@link #abbreviated()} is the short form people read.
 */
public record CommitId(String hex) {

    /** Characters of {@link #abbreviated()}: the short form of statuses, comments, logs and pages. */
    public static final int ABBREVIATED = 12;

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

    public CommitId {
        Objects.requireNonNull(hex, "commit id");
        if (!HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("invalid commit id \"" + hex
                    + "\" (expected 40 or 64 lower-case hex characters)");
        }
    }

    /** Parses a full commit id; refuses anything else with the input in the message. */
    @JsonCreator
    public static CommitId of(String hex) {
        return new CommitId(hex);
    }

    /** The first {@value #ABBREVIATED} characters, e.g. {@code 4f2c1a9b0e3d}. */
    public String abbreviated() {
        return hex.substring(0, ABBREVIATED);
    }

    @JsonValue
    @Override
    public String toString() {
        return hex;
    }
}
