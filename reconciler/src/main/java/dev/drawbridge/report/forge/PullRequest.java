package dev.drawbridge.report.forge;

import java.util.Objects;

/**
 * An open pull request (GitHub, Gitea) or merge request (GitLab), as its forge answered it.
 *
 * @param number  the number in its repository (GitLab: the {@code iid})
 * @param url     its web page
 * @param title   its title
 * @param body    its description (markdown)
 * @param headSha the commit its head branch points at, as the forge saw it last
 */
public record PullRequest(long number, String url, String title, String body, String headSha) {

    public PullRequest {
        if (number <= 0) {
            throw new IllegalArgumentException("Invalid pull request number: " + number);
        }
        url = Objects.requireNonNullElse(url, "");
        title = Objects.requireNonNullElse(title, "");
        body = Objects.requireNonNullElse(body, "");
    }

    /** How a pull request is merged: a merge commit, one squashed commit, or its commits rebased onto the base. */
    public enum MergeMethod {
        MERGE, SQUASH, REBASE
    }
}
