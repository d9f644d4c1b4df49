package dev.drawbridge.report.forge;

import java.util.Optional;

/**
 * The pull requests (merge requests) of the deploy repository on its forge, as far as promotion requests need
 * them: find the open one of a head branch, open, edit, close and merge. Every call honours rate limits as
 * the status reporters do; failures are {@link ForgeException}s that say whether a retry may help.
 */
public interface PullRequests {

    /** The open request from branch {@code head} of this repository into {@code base}, if there is one. */
    Optional<PullRequest> findOpen(String head, String base) throws ForgeException;

    /**
     * Opens a request from {@code head} into {@code base}. When the forge answers that one exists already (a
     * second replica, a restart between open and record), that one is found and returned unchanged.
     */
    PullRequest open(String head, String base, String title, String body) throws ForgeException;

    /** Sets the title and description of an open request. */
    PullRequest update(PullRequest request, String title, String body) throws ForgeException;

    /** Closes an open request without merging it. */
    void close(PullRequest request) throws ForgeException;

    /**
     * Merges the request only if its head is still {@code sha} (the forge refuses otherwise).
     *
     * @param title the title of a merge or squash commit
     */
    void merge(PullRequest request, String sha, PullRequest.MergeMethod method, String title) throws ForgeException;
}
