package dev.drawbridge.source;

import java.util.Objects;

/** A Git revision of a branch, readable as {@code env/production@sha1:4f2c1a9b0e3d}. */
public record Revision(String branch, String sha) {
    public Revision {
        Objects.requireNonNull(sha, "sha");
    }

    @Override
    public String toString() {
        return (branch == null ? "" : branch) + "@sha1:" + sha.substring(0, Math.min(12, sha.length()));
    }
}
