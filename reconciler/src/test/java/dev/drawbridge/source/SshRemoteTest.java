package dev.drawbridge.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.drawbridge.testing.SshGitServer;

/**
 * Fetches over ssh from a real SSH server (Apache MINA sshd on 127.0.0.1, serving {@code git-upload-pack});
 * host key and client keys are generated here. Host keys are checked strictly; every failure is one clear
 * error that never holds the key, its content or its passphrase.
 */
@Timeout(30)
class SshRemoteTest {

    private static final String PASSPHRASE = "correct horse battery staple";

    @TempDir
    Path temp;

    Upstream upstream;
    SshGitServer server;
    KeyPair clientKey;
    Path keyFile;
    Path knownHosts;
    JGitSource source = new JGitSource(Duration.ofSeconds(5), 3);

    @BeforeEach
    void startServer() throws Exception {
        upstream = Upstream.create(temp.resolve("upstream"));
        server = SshGitServer.serve(upstream.dir);
        clientKey = SshGitServer.newKeyPair();
        server.authorize(clientKey.getPublic());
        keyFile = SshGitServer.writePrivateKey(clientKey, temp.resolve("secrets/id_ecdsa"), null);
        knownHosts = SshGitServer.writeKnownHosts(temp.resolve("secrets/known_hosts"), server.knownHostsLine());
    }

    @AfterEach
    void stopServer() {
        server.close();
        upstream.close();
    }

    private GitRemote remote(String url, Path key, Path hosts) {
        return new GitRemote(url, null, null, new SshSettings(key, null, hosts));
    }

    private GitRemote remote() {
        return remote(server.url(), keyFile, knownHosts);
    }

    private SourceException fetchFails(GitRemote remote) {
        SourceException e = catchThrowableOfType(SourceException.class,
                () -> source.fetch(remote, "env/production", temp.resolve("work")));
        assertThat(e).as("the fetch must fail").isNotNull();
        assertThat(e.url()).isEqualTo(remote.redactedUrl());
        return e;
    }

    @Test
    void checksOutAnEnvironmentBranchOverSsh() throws Exception {
        String sha = upstream.commit("env/production", "overlays/production/kustomization.yaml", "prod\n");

        Checkout checkout = source.checkout(remote(), "env/production", temp.resolve("work"));

        assertThat(checkout.revision()).isEqualTo(new Revision("env/production", sha));
        assertThat(checkout.root().resolve("overlays/production/kustomization.yaml")).hasContent("prod");
    }

    @Test
    void followsNewCommitsAndListsRefsOverSsh() throws Exception {
        upstream.commit("env/dev", "app.yaml", "v1\n");
        source.fetch(remote(), "env/dev", temp.resolve("work"));
        String second = upstream.commit("env/dev", "app.yaml", "v2\n");

        BranchFetch fetch = source.fetch(remote(), "env/dev", temp.resolve("work"));

        assertThat(fetch.revision().sha()).isEqualTo(second);
        assertThat(fetch.changed()).isTrue();
        assertThat(source.listRemoteRefs(remote(), "refs/heads/env/*")).containsEntry("refs/heads/env/dev", second);
    }

    @Test
    void sendsTheConfiguredUsernameWhenTheUrlNamesNone() throws Exception {
        String sha = upstream.commit("env/production", "app.yaml", "prod\n");
        String url = "ssh://127.0.0.1:" + server.port() + "/deploy.git";

        Revision revision = source.resolve(new GitRemote(url, SshGitServer.USER, null,
                new SshSettings(keyFile, null, knownHosts)), "env/production", temp.resolve("work"));

        assertThat(revision.sha()).isEqualTo(sha);
    }

    @Test
    void decryptsAKeyWithItsPassphrase() throws Exception {
        String sha = upstream.commit("env/production", "app.yaml", "prod\n");
        Path encrypted = SshGitServer.writePrivateKey(clientKey, temp.resolve("secrets/id_encrypted"), PASSPHRASE);

        Revision revision = source.resolve(new GitRemote(server.url(), null, null,
                new SshSettings(encrypted, () -> PASSPHRASE, knownHosts)), "env/production", temp.resolve("work"));

        assertThat(revision.sha()).isEqualTo(sha);
    }

    @Test
    void refusesAnUnknownHostKeyAndLeavesKnownHostsAlone() throws Exception {
        upstream.commit("env/production", "app.yaml", "prod\n");
        Path otherHosts = SshGitServer.writeKnownHosts(temp.resolve("other_known_hosts"),
                "git.example.com " + org.apache.sshd.common.config.keys.PublicKeyEntry.toString(
                        SshGitServer.newKeyPair().getPublic()));
        String before = Files.readString(otherHosts);

        SourceException e = fetchFails(remote(server.url(), keyFile, otherHosts));

        assertThat(e.getMessage()).isEqualTo("could not fetch " + remote().redactedUrl() + " branch env/production: "
                + "host key verification failed: [127.0.0.1]:" + server.port() + " is not in the known_hosts file "
                + otherHosts + " (it offered the ecdsa-sha2-nistp256 key " + serverFingerprint() + "); add the host's"
                + " key after checking that fingerprint, e.g. ssh-keyscan -p " + server.port() + " 127.0.0.1 >> "
                + otherHosts);
        assertThat(Files.readString(otherHosts)).isEqualTo(before);
    }

    @Test
    void refusesAChangedHostKey() throws Exception {
        upstream.commit("env/production", "app.yaml", "prod\n");
        Path changed = SshGitServer.writeKnownHosts(temp.resolve("changed_known_hosts"), "[127.0.0.1]:" + server.port()
                + " " + org.apache.sshd.common.config.keys.PublicKeyEntry.toString(SshGitServer.newKeyPair().getPublic()));

        SourceException e = fetchFails(remote(server.url(), keyFile, changed));

        assertThat(e.getMessage()).contains("host key verification failed: the host key of [127.0.0.1]:"
                + server.port() + " does not match the key in " + changed, serverFingerprint());
    }

    @Test
    void refusesAHostKeyMarkedRevoked() throws Exception {
        upstream.commit("env/production", "app.yaml", "prod\n");
        Path revoked = SshGitServer.writeKnownHosts(temp.resolve("revoked_known_hosts"),
                "@revoked " + server.knownHostsLine(), server.knownHostsLine());

        assertThat(fetchFails(remote(server.url(), keyFile, revoked)).getMessage())
                .contains("which is marked @revoked in " + revoked);
    }

    @Test
    void aMissingKnownHostsFileIsAClearError() {
        Path missing = temp.resolve("nowhere/known_hosts");

        assertThat(fetchFails(remote(server.url(), keyFile, missing)).getMessage()).isEqualTo("could not fetch "
                + remote().redactedUrl() + " branch env/production: the known_hosts file " + missing
                + " does not exist, so the host key of [127.0.0.1]:" + server.port() + " cannot be checked; add the host's"
                + " key to it (e.g. ssh-keyscan -p " + server.port() + " 127.0.0.1 >> " + missing
                + ", after checking its fingerprint)");
    }

    @Test
    void refusesAWrongClientKeyWithAClearErrorThatHoldsNoKey() throws Exception {
        upstream.commit("env/production", "app.yaml", "prod\n");
        Path wrongKey = SshGitServer.writePrivateKey(SshGitServer.newKeyPair(), temp.resolve("secrets/id_wrong"), null);

        SourceException e = fetchFails(remote(server.url(), wrongKey, knownHosts));

        assertThat(e.getMessage()).isEqualTo("could not fetch " + remote().redactedUrl() + " branch env/production: "
                + "the server [127.0.0.1]:" + server.port() + " refused the key " + wrongKey + " for user git"
                + " (authentication failed: is the public key authorised there, e.g. as a deploy key?)");
        assertHoldsNothingOf(e, wrongKey, null);
    }

    @Test
    void aWrongPassphraseIsAClearErrorThatHoldsNeitherKeyNorPassphrase() throws Exception {
        upstream.commit("env/production", "app.yaml", "prod\n");
        Path encrypted = SshGitServer.writePrivateKey(clientKey, temp.resolve("secrets/id_encrypted"), PASSPHRASE);
        String wrong = "not-the-passphrase-42";

        SourceException e = fetchFails(new GitRemote(server.url(), null, null,
                new SshSettings(encrypted, () -> wrong, knownHosts)));

        assertThat(e.getMessage()).endsWith("branch env/production: the ssh key file " + encrypted
                + " cannot be decrypted: wrong passphrase");
        assertHoldsNothingOf(e, encrypted, wrong);
    }

    @Test
    void anEncryptedKeyWithoutPassphraseIsAClearError() throws Exception {
        upstream.commit("env/production", "app.yaml", "prod\n");
        Path encrypted = SshGitServer.writePrivateKey(clientKey, temp.resolve("secrets/id_encrypted"), PASSPHRASE);

        SourceException e = fetchFails(remote(server.url(), encrypted, knownHosts));

        assertThat(e.getMessage()).endsWith("branch env/production: the ssh key file " + encrypted
                + " is encrypted and no passphrase is configured");
        assertHoldsNothingOf(e, encrypted, PASSPHRASE);
    }

    @Test
    void aMissingKeyFileIsAClearError() {
        Path missing = temp.resolve("secrets/id_missing");

        assertThat(fetchFails(remote(server.url(), missing, knownHosts)).getMessage()).isEqualTo("could not fetch "
                + remote().redactedUrl() + " branch env/production: the ssh key file " + missing + " does not exist");
    }

    @Test
    void aFileThatIsNoKeyIsAClearErrorThatDoesNotQuoteIt() throws Exception {
        Path notAKey = Files.writeString(temp.resolve("secrets/not-a-key"), "s3cr3t-token-not-a-key\n");

        SourceException e = fetchFails(remote(server.url(), notAKey, knownHosts));

        assertThat(e.getMessage()).endsWith("branch env/production: the ssh key file " + notAKey
                + " holds no private key (expected OpenSSH or PEM format)").doesNotContain("s3cr3t");
        assertHoldsNothingOf(e, notAKey, null);
    }

    @Test
    void anUnreachableHostIsAClearError() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String url = "ssh://git@127.0.0.1:" + closedPort + "/deploy.git";
        SshGitServer.writeKnownHosts(knownHosts, server.knownHostsLine().replace(":" + server.port() + " ",
                ":" + closedPort + " "));

        SourceException e = fetchFails(remote(url, keyFile, knownHosts));

        assertThat(e.getMessage()).isEqualTo("could not fetch ssh://***@127.0.0.1:" + closedPort
                + "/deploy.git branch env/production: cannot connect to [127.0.0.1]:" + closedPort
                + " (connection refused)");
    }

    @Test
    @Timeout(15)
    void aServerThatNeverAnswersTimesOut() throws Exception {
        JGitSource quick = new JGitSource(Duration.ofSeconds(1), 3);
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // and never say a word
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String url = "ssh://git@127.0.0.1:" + silent.getLocalPort() + "/deploy.git";

            SourceException e = catchThrowableOfType(SourceException.class,
                    () -> quick.fetch(remote(url, keyFile, knownHosts), "env/production", temp.resolve("work")));

            assertThat(e).isNotNull();
            assertThat(e.getMessage()).isEqualTo("could not fetch ssh://***@127.0.0.1:" + silent.getLocalPort()
                    + "/deploy.git branch env/production: no answer from [127.0.0.1]:" + silent.getLocalPort()
                    + " within 1s (timeout)");
        } finally {
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    @Timeout(15)
    void aServerThatAuthenticatesAndThenHangsTimesOut() throws Exception {
        upstream.commit("env/production", "app.yaml", "prod\n");
        server.stall();
        JGitSource quick = new JGitSource(Duration.ofSeconds(1), 3);

        SourceException e = catchThrowableOfType(SourceException.class,
                () -> quick.fetch(remote(), "env/production", temp.resolve("work")));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).isEqualTo("could not fetch " + remote().redactedUrl() + " branch env/production: "
                + "no answer from [127.0.0.1]:" + server.port() + " within 1s (timeout)");
    }

    private String serverFingerprint() throws Exception {
        return KeyUtils.getFingerPrint(org.apache.sshd.common.config.keys.PublicKeyEntry.parsePublicKeyEntry(
                server.knownHostsLine().substring(server.knownHostsLine().indexOf(' ') + 1)).resolvePublicKey(null, null, null));
    }

    /** Neither the message, nor any message of the cause chain, nor the printed stack trace holds the secret. */
    private static void assertHoldsNothingOf(SourceException e, Path keyFile, String passphrase) throws Exception {
        ByteArrayOutputStream trace = new ByteArrayOutputStream();
        e.printStackTrace(new PrintStream(trace, true, StandardCharsets.UTF_8));
        String printed = trace.toString(StandardCharsets.UTF_8);
        for (String line : Files.readAllLines(keyFile)) {
            if (!line.isBlank() && !line.startsWith("-----")) {
                assertThat(printed).doesNotContain(line.strip());
            }
        }
        if (passphrase != null) {
            assertThat(printed).doesNotContain(passphrase);
        }
    }
}
