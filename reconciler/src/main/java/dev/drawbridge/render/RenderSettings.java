package dev.drawbridge.render;

import java.time.Duration;
import java.util.List;

/**
 * How to run Kustomize.
 *
 * @param command         the command, to which the absolute directory to build is appended as the last
 *                        argument; null or empty = {@code kustomize build} when a {@code kustomize}
 *                        binary is on PATH, else {@code kubectl kustomize}
 * @param timeout         the build is killed after this long (default 60s)
 * @param maxOutputBytes  stdout above this size kills the build (default 64 MiB); also caps the total
 *                        size of a plain directory of YAML
 * @param maxDocuments    more YAML documents than this is an error (default 10 000)
 */
public record RenderSettings(List<String> command, Duration timeout, long maxOutputBytes, int maxDocuments) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final long DEFAULT_MAX_OUTPUT_BYTES = 64L * 1024 * 1024;
    public static final int DEFAULT_MAX_DOCUMENTS = 10_000;

    public RenderSettings {
        command = command == null ? List.of() : List.copyOf(command);
        if (timeout == null) {
            timeout = DEFAULT_TIMEOUT;
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("render timeout must be positive: " + timeout);
        }
        if (maxOutputBytes <= 0) {
            maxOutputBytes = DEFAULT_MAX_OUTPUT_BYTES;
        }
        if (maxOutputBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxOutputBytes must be below 2 GiB: " + maxOutputBytes);
        }
        if (maxDocuments <= 0) {
            maxDocuments = DEFAULT_MAX_DOCUMENTS;
        }
    }

    public static RenderSettings defaults() {
        return new RenderSettings(null, null, 0, 0);
    }

    public RenderSettings withCommand(List<String> newCommand) {
        return new RenderSettings(newCommand, timeout, maxOutputBytes, maxDocuments);
    }

    public RenderSettings withTimeout(Duration newTimeout) {
        return new RenderSettings(command, newTimeout, maxOutputBytes, maxDocuments);
    }

    public RenderSettings withMaxOutputBytes(long bytes) {
        return new RenderSettings(command, timeout, bytes, maxDocuments);
    }

    public RenderSettings withMaxDocuments(int documents) {
        return new RenderSettings(command, timeout, maxOutputBytes, documents);
    }
}
