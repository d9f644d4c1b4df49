package dev.drawbridge.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real-world data shared beside the project ({@code ../shared/realworld}: podinfo, Online Boutique,
 * Trivy reports, GitHub webhook payloads). Read-only: tests copy what they change.
 */
public final class RealWorld {
    private RealWorld() {
    }

    public static Path dir() {
        Path beside = GitFixtures.projectRoot().getParent().resolve("shared/realworld");
        if (Files.isDirectory(beside)) {
            return beside;
        }
        Path fallback = Path.of("/work/shared/realworld");
        if (Files.isDirectory(fallback)) {
            return fallback;
        }
        throw new IllegalStateException("the real-world test data is missing: expected " + beside);
    }
}
