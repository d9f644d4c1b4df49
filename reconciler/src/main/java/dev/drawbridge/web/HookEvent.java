package dev.drawbridge.web;

import dev.drawbridge.values.CommitId;

/** What a webhook delivery asks Drawbridge to do. */
sealed interface HookEvent {

    /** Commits were pushed to {@code branch} (a branch name, {@code env/dev}). */
    record Push(String branch) implements HookEvent {
    }

    /**
     * A pull request (merge request) was opened or got a new head.
     *
     * @param number  the pull request number (GitLab: the merge request iid)
     * @param base    the branch it targets
     * @param headSha the head commit the event names
     * @param ref     the ref the forge keeps the head under ({@code refs/pull/7/head}, {@code refs/merge-requests/7/head})
     */
    record PullRequest(long number, String base, CommitId headSha, String ref) implements HookEvent {
    }

    /** Nothing to do, and why (a tag push, a closed pull request, a ping, an event we do not handle). */
    record Ignored(String why) implements HookEvent {
    }
}
