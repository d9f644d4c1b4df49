package dev.drawbridge.source;

import dev.drawbridge.values.CommitId;
import java.util.Objects;
import java.util.regex.Pattern;

/** A Git revision of a branch, readable as {@code env/production@sha1:4f2c1a9b0e3d}; {@code sha} is a full commit id. */
public record Revision(String branch, String sha) {

    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

    public Revision {
        Objects.requireNonNull(sha, "sha");
        CommitId.of(sha);
    }

    /** The commit, as the value the stages pass on. */
    public CommitId commit() {
        return CommitId.of(sha);
    }

    @Override
    public String toString() {
        return (branch == null ? "" : branch) + "@sha1:" + sha.substring(0, Math.min(12, sha.length()));
    }

    /** Whether {@code text} is a full commit sha: 40 (SHA-1) or 64 (SHA-256) lower-case hex digits. */
    static boolean isSha(String text) {
        return text != null && SHA.matcher(text).matches();
    }
}
