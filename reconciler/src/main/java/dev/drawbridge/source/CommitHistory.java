package dev.drawbridge.source;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The history of fetched commits: how two commits relate. The guard against a force-pushed environment branch
 * asks whether the revision applied last is still {@link #contains contained} in the new head; the pull-request
 * checks ask which environment branch a head was cut from ({@link #mergeBase}). Both read only what was fetched
 * before ({@link GitSource#fetch}).
 */
public interface CommitHistory {

    /**
     * The newest common ancestor of two fetched commits and its commit time, or empty when they share no
     * history. Used to tell which environment branch a pull-request head was cut from.
     */
    Optional<MergeBase> mergeBase(GitRemote remote, String sha, String otherSha, Path workDir) throws SourceException;

    /**
     * Whether {@code ancestor} is {@code sha} itself or one of its ancestors, {@code sha} being fetched from
     * {@code remote}. False when {@code ancestor} is not in the fetched history at all (a history rewritten
     * by a force-push drops it).
     */
    boolean contains(GitRemote remote, String sha, String ancestor, Path workDir) throws SourceException;

    /** A merge base: the commit and when it was committed. */
    record MergeBase(String sha, Instant time) {
    }
}
