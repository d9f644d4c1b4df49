package dev.drawbridge.cli;

import dev.drawbridge.testing.SshGitServer;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar target/drawbridge.jar check} over ssh with an Ed25519 key: the packaged jar and its
 * {@code lib/} alone (the test class path has BouncyCastle, which would hide a missing Ed25519 provider).
 */
class SshJarIT {

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void thePackagedJarFetchesOverSshWithAnEd25519Key() throws Exception {
        Path jar = Path.of("target/drawbridge.jar").toAbsolutePath();
        assertThat(jar).as("run after package").exists();
        try (CheckFixture fixture = new CheckFixture(dir); SshGitServer server = SshGitServer.serve(fixture.repo.dir())) {
            KeyPair key = KeyUtils.generateKeyPair("ssh-ed25519", 256);
            server.authorize(key.getPublic());
            SshGitServer.writePrivateKey(key, dir.resolve("secrets/deploy-key"), null);
            SshGitServer.writeKnownHosts(dir.resolve("secrets/known_hosts"), server.knownHostsLine());
            Path config = fixture.config("""
                    git:
                      url: %s
                      ssh-key-file: secrets/deploy-key
                      known-hosts-file: secrets/known_hosts
                    registries:
                      - {host: harbor.example.com, type: harbor, url: "%s", insecure: true, timeout: 5s}
                    environments:
                      - {name: production, branch: env/production, path: app}
                    """.formatted(server.url(), fixture.registry.url()));

            Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", jar.toString(), "check", "--config", config.toString(), "--env", "production"))
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();

            assertThat(process.exitValue()).as(output).isZero();
            assertThat(output).contains("revision " + fixture.repo.head("env/production").substring(0, 12),
                    "decision: PASS");
            assertThat(output).doesNotContain(Files.readAllLines(dir.resolve("secrets/deploy-key")).get(1));
        }
    }
}
