package dev.drawbridge.registry;

/**
 * The registry could not answer what the gate needs (unreachable, timeout, 401/403, 5xx, malformed
 * answer). Never treated as a pass. Carries structured fields; the message never holds a secret.
 */
public class RegistryException extends Exception {
    private final String registry;
    private final String repository;
    private final int statusCode;

    /**
     * @param registry   registry host
     * @param repository repository path, may be null
     * @param statusCode HTTP status, or 0 when there was no HTTP answer
     * @param message    what went wrong, for a human
     */
    public RegistryException(String registry, String repository, int statusCode, String message, Throwable cause) {
        super(message, cause);
        this.registry = registry;
        this.repository = repository;
        this.statusCode = statusCode;
    }

    public RegistryException(String registry, String repository, int statusCode, String message) {
        this(registry, repository, statusCode, message, null);
    }

    public String registry() {
        return registry;
    }

    public String repository() {
        return repository;
    }

    public int statusCode() {
        return statusCode;
    }
}
