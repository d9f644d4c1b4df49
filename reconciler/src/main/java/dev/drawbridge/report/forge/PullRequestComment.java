package dev.drawbridge.report.forge;

import dev.drawbridge.values.EnvironmentName;
import java.util.Objects;

/**
 * Drawbridge's one comment on a pull request (merge request) for one environment: found again by its hidden
 * marker {@code <!-- drawbridge:<environment> -->}, which opens the body, and edited in place at every new head.
 *
 * @param number      the pull request number (GitLab: the merge request iid)
 * @param environment the environment whose gate checked the head
 * @param markdown    what the comment says, without the marker; bounded to {@link #MAX_BODY} with the marker
 */
public record PullRequestComment(long number, EnvironmentName environment, String markdown) {

    /** GitHub refuses comment bodies over 65,536 characters; the others allow more. */
    public static final int MAX_BODY = 65_536;

    public PullRequestComment {
        if (number < 1) {
            throw new IllegalArgumentException("Invalid pull request number: " + number);
        }
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(markdown, "markdown");
        if (body(environment, markdown).length() > MAX_BODY) {
            throw new IllegalArgumentException("Comment of " + environment + " on #" + number + " longer than "
                    + MAX_BODY + " characters (" + body(environment, markdown).length() + ")");
        }
    }

    /** The hidden marker that finds the comment again: an HTML comment, invisible in rendered markdown. */
    public static String marker(EnvironmentName environment) {
        return "<!-- drawbridge:" + environment + " -->";
    }

    public String marker() {
        return marker(environment);
    }

    /** The full body as posted: the marker, then the markdown. */
    public String body() {
        return body(environment, markdown);
    }

    /** The room left for markdown once the marker is in. */
    public static int room(EnvironmentName environment) {
        return MAX_BODY - body(environment, "").length();
    }

    private static String body(EnvironmentName environment, String markdown) {
        return marker(environment) + "\n" + markdown;
    }

    /** Pull request and environment: one comment each. */
    public String key() {
        return number + " " + environment;
    }

    @Override
    public String toString() {
        return "comment of " + environment + " on #" + number;
    }
}
