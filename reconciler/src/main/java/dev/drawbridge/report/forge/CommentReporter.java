package dev.drawbridge.report.forge;

/** Port: keeps Drawbridge's one comment per pull request and environment where reviewers read. */
@FunctionalInterface
public interface CommentReporter {

    /**
     * Creates the comment, or edits the one that carries its marker; does nothing when that one already says
     * the same.
     *
     * @throws ForgeException when the forge refused or could not be reached; {@link ForgeException#retryable()}
     *                        says whether trying again later may help
     */
    void publish(PullRequestComment comment) throws ForgeException;

    /** Posts no comment ({@code forge.comments: false}, or a forge without comments). */
    CommentReporter NONE = comment -> { };
}
