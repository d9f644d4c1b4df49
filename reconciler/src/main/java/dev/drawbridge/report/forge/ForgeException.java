package dev.drawbridge.report.forge;

/**
 * A status could not be posted. Carries the forge, the HTTP status code (0 when there was no answer) and
 * whether a retry may help, so callers need not parse the message. Messages never hold a token.
 */
public class ForgeException extends Exception {

    private final String forge;
    private final int statusCode;
    private final boolean retryable;

    public ForgeException(String forge, int statusCode, boolean retryable, String message) {
        this(forge, statusCode, retryable, message, null);
    }

    public ForgeException(String forge, int statusCode, boolean retryable, String message, Throwable cause) {
        super(message, cause);
        this.forge = forge;
        this.statusCode = statusCode;
        this.retryable = retryable;
    }

    /** {@code github}, {@code gitlab}, {@code gitea} or {@code git-notes}. */
    public String forge() {
        return forge;
    }

    /** The HTTP status code of the answer, 0 when there was none. */
    public int statusCode() {
        return statusCode;
    }

    /** True when the same request may succeed later (timeouts, 5xx, rate limits). */
    public boolean retryable() {
        return retryable;
    }

    /** Whether {@code e} is a forge's failure worth another attempt (a server error, a rate limit, no answer). */
    public static boolean isRetryable(Exception e) {
        return e instanceof ForgeException forge && forge.retryable();
    }
}
