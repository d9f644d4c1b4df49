package dev.drawbridge.source;

/**
 * The source could not be read: the remote is unreachable, authentication failed, the branch does not
 * exist, or the tree could not be written. The message and every exception in the cause chain are
 * redacted: they hold no credential, only the redacted URL.
 */
public class SourceException extends Exception {
    private final String url;
    private final String branch;

    /**
     * @param url     the redacted URL of the remote (or the local path)
     * @param branch  the branch or ref, may be null
     * @param message what went wrong, for a human; must already be redacted
     * @param cause   a redacted cause, may be null
     */
    public SourceException(String url, String branch, String message, Throwable cause) {
        super(message, cause);
        this.url = url;
        this.branch = branch;
    }

    public SourceException(String url, String branch, String message) {
        this(url, branch, message, null);
    }

    /** The redacted URL of the remote. */
    public String url() {
        return url;
    }

    /** The branch or ref that was asked for, or null. */
    public String branch() {
        return branch;
    }
}
