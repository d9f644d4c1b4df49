package dev.drawbridge.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The server's private work directory (Git mirrors and trees), deleted when the server stops. */
final class WorkDirectory implements AutoCloseable {

    private final Path path;

    WorkDirectory() throws IOException {
        this.path = Files.createTempDirectory("drawbridge-serve-");
    }

    Path path() {
        return path;
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
