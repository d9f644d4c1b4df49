package dev.drawbridge.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A secret (password, token, webhook secret) kept in a file, such as a mounted Kubernetes Secret. It
 * is read each time it is used, so a rotated secret is picked up without a restart, and it is never
 * held in a value that might be printed: {@link #toString()} shows the path only, and errors name the
 * file, never its content.
 */
public record SecretFile(Path path) {

    public SecretFile {
        Objects.requireNonNull(path, "path");
    }

    /** The secret, without the trailing newline that editors and {@code echo} add. */
    public String read() {
        return read(path);
    }

    /**
     * Reads a secret file, dropping trailing line breaks.
     *
     * @throws SecretFileException when the file cannot be read or is empty; the message names the file only
     */
    public static String read(Path path) {
        String content;
        try {
            content = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new SecretFileException(path, "does not exist", null);
        } catch (IOException e) {
            // the exception's message names the file and the reason, never the content
            throw new SecretFileException(path, "cannot be read (" + e.getClass().getSimpleName() + ")", null);
        }
        int end = content.length();
        while (end > 0 && (content.charAt(end - 1) == '\n' || content.charAt(end - 1) == '\r')) {
            end--;
        }
        if (end == 0) {
            throw new SecretFileException(path, "is empty", null);
        }
        return content.substring(0, end);
    }

    @Override
    public String toString() {
        return path.toString();
    }

    /** A secret file could not be read at use. Names the file, never holds its content. */
    public static final class SecretFileException extends RuntimeException {
        private final transient Path path;

        SecretFileException(Path path, String problem, Throwable cause) {
            super("secret file " + path + " " + problem, cause);
            this.path = path;
        }

        public Path path() {
            return path;
        }
    }
}
