package dev.drawbridge.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The server's private work directory (Git mirrors and trees), deleted when the server stops, and its state
 * directory ({@code --state-dir}), kept: what is still owed (statuses, comments, notifications) outlives the
 * process there (docs/retries.md). Without a state directory, that is kept in the work directory and dies with it.
 */
final class WorkDirectory implements AutoCloseable {

    private final Path path;
    private final Path state;

    /** @param state the state directory; null: none */
    WorkDirectory(Path state) throws IOException {
        this.path = Files.createTempDirectory("drawbridge-serve-");
        this.state = state == null ? null : Files.createDirectories(state);
    }

    Path path() {
        return path;
    }

    /** Where what is still owed is kept: the state directory, else the work directory. */
    Path owed() {
        return state == null ? path : state;
    }

    @Override
    public void close() {
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
