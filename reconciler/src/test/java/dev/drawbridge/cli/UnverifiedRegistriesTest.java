package dev.drawbridge.cli;

import dev.drawbridge.config.ConfigLoader;
import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.registry.testing.Attestations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The start-up warning of {@code check}, {@code reconcile} and {@code serve}: one line per unverified oci registry. */
class UnverifiedRegistriesTest {
    @TempDir
    Path dir;

    @Test
    void warnsOncePerOciRegistryWithoutSignedByAndNeverForHarborOrAVerifiedOne() throws Exception {
        Files.writeString(dir.resolve("scanner.pub"), Attestations.publicPem(Attestations.ed25519()));
        DrawbridgeConfig config = new ConfigLoader().load("drawbridge.yaml", """
                git: {url: "https://git.example.com/deploy.git"}
                environments: [{name: dev, branch: env/dev, path: overlays/dev}]
                registries:
                  - {host: harbor.example.com, type: harbor}
                  - {host: ghcr.io, type: oci}
                  - {host: registry.example.com, type: oci, signed-by: [scanner.pub]}
                  - {host: quay.io, type: oci}
                """.getBytes(StandardCharsets.UTF_8), dir);

        assertThat(UnverifiedRegistries.warnings(config)).containsExactly(
                "warning: registry ghcr.io (oci): its scan reports and SBOMs are not signature-verified; anyone who can "
                        + "push to it can attach a report (set registries[1].signed-by to the scanners' public keys)",
                "warning: registry quay.io (oci): its scan reports and SBOMs are not signature-verified; anyone who can "
                        + "push to it can attach a report (set registries[3].signed-by to the scanners' public keys)");
    }
}
