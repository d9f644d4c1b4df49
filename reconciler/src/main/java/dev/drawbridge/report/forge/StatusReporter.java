package dev.drawbridge.report.forge;

/** Port: posts one commit status to where the team that merged sees it. */
@FunctionalInterface
public interface StatusReporter {

    /**
     * Posts the status.
     *
     * @throws ForgeException when the forge refused it or could not be reached; {@link ForgeException#retryable()}
     *                        says whether trying again later may help
     */
    void report(CommitStatus status) throws ForgeException;
}
