package dev.drawbridge.cli;

import dev.drawbridge.testing.SshGitServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code drawbridge check} end to end with the deploy repository (and so the policies, on the same host)
 * behind a real SSH server: the key and known_hosts come from the configuration.
 */
@Timeout(60)
class CheckOverSshTest {

    @TempDir
    Path dir;

    CheckFixture fixture;
    SshGitServer server;
    Path keyFile;
    Path knownHosts;

    @BeforeEach
    void serveTheFixtureOverSsh() {
        fixture = new CheckFixture(dir);
        server = SshGitServer.serve(fixture.repo.dir());
        KeyPair key = SshGitServer.newKeyPair();
        server.authorize(key.getPublic());
        keyFile = SshGitServer.writePrivateKey(key, dir.resolve("secrets/deploy-key"), null);
        knownHosts = SshGitServer.writeKnownHosts(dir.resolve("secrets/known_hosts"), server.knownHostsLine());
    }

    @AfterEach
    void stop() {
        server.close();
        fixture.close();
    }

    private Path config() throws Exception {
        return fixture.config("""
                git:
                  url: %s
                  ssh-key-file: secrets/deploy-key
                  known-hosts-file: secrets/known_hosts
                registries:
                  - host: harbor.example.com
                    type: harbor
                    url: %s
                    insecure: true
                    timeout: 30s
                environments:
                  - name: production
                    branch: env/production
                    path: app
                """.formatted(server.url(), fixture.registry.url()));
    }

    @Test
    void checksTheEnvironmentBranchAndItsPolicyFetchedOverSsh() throws Exception {
        int exit = fixture.check("--config", config().toString(), "--env", "production", "--format", "json");

        assertThat(exit).as(fixture.err + "\n" + fixture.out).isZero();
        String head = fixture.repo.head("env/production");
        assertThat(fixture.out.toString()).contains("\"revision\" : \"" + head + "\"",
                "\"policyRevision\" : \"" + fixture.repo.head("main") + "\"", "\"decision\" : \"PASS\"");
    }

    @Test
    void anUnknownHostKeyIsOneClearErrorAndExitTwo() throws Exception {
        Files.writeString(knownHosts, "# nothing trusted yet\n");

        int exit = fixture.check("--config", config().toString(), "--env", "production");

        assertThat(exit).isEqualTo(2);
        assertThat(fixture.err.toString()).contains("host key verification failed: [127.0.0.1]:" + server.port()
                + " is not in the known_hosts file " + knownHosts);
        assertThat(fixture.out.toString()).doesNotContain("decision: PASS");
        assertThat(Files.readString(knownHosts)).isEqualTo("# nothing trusted yet\n");
    }

    @Test
    void aKeyTheServerRefusesIsOneClearErrorThatHoldsNoKey() throws Exception {
        SshGitServer.writePrivateKey(SshGitServer.newKeyPair(), keyFile, null);

        int exit = fixture.check("--config", config().toString(), "--env", "production");

        assertThat(exit).isEqualTo(2);
        String printed = fixture.err + "\n" + fixture.out;
        assertThat(printed).contains("refused the key " + keyFile + " for user git (authentication failed");
        for (String line : Files.readAllLines(keyFile)) {
            if (!line.startsWith("-----")) {
                assertThat(printed).doesNotContain(line);
            }
        }
    }
}
