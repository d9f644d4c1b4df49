package dev.drawbridge.source;

import dev.drawbridge.values.CommitId;
import java.util.Objects;

/** A Git revision of a branch, readable as {@code env/production@sha1:4f2c1a9b0e3d}; {@code sha} is a full commit id. */
public record Revision(String branch, String sha) {
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
}
