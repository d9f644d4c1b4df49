package dev.drawbridge.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialRedactionTest {

    static final String URL_SECRET = "ghp_UrlSecret0123456789";
    static final String SUPPLIED_SECRET = "glpat-SuppliedSecret9876";

    @TempDir
    Path temp;

    int closedPort;
    JGitSource source = new JGitSource(Duration.ofSeconds(5), 3);

    @BeforeEach
    void findAClosedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
    }

    @Test
    void redactsTheUserinfoOfAUrl() {
        GitRemote remote = new GitRemote("https://user:" + URL_SECRET + "@git.example.com/platform/deploy.git",
                "drawbridge", () -> SUPPLIED_SECRET);

        assertThat(remote.redactedUrl()).isEqualTo("https://***@git.example.com/platform/deploy.git");
        assertThat(remote.toString()).doesNotContain(URL_SECRET, SUPPLIED_SECRET, "user:")
                .contains("https://***@git.example.com/platform/deploy.git");
        assertThat(GitRemote.of("https://git.example.com/x").redactedUrl()).isEqualTo("https://git.example.com/x");
        assertThat(GitRemote.of("git@git.example.com:platform/deploy.git").redactedUrl())
                .isEqualTo("git@git.example.com:platform/deploy.git");
    }

    @Test
    void sendsATokenUsernameWhenOnlyATokenIsGiven() {
        assertThat(new GitRemote("https://git.example.com/x", null, () -> "t").effectiveUsername())
                .isEqualTo("x-access-token");
        assertThat(new GitRemote("https://git.example.com/x", "robot", () -> "t").effectiveUsername())
                .isEqualTo("robot");
    }

    @Test
    void noCredentialAppearsInTheErrorOfAnUnreachableHttpsRemote() {
        assertNoSecretIn(fail("https://user:" + URL_SECRET + "@127.0.0.1:" + closedPort + "/deploy.git"),
                "https://***@127.0.0.1:" + closedPort + "/deploy.git");
    }

    @Test
    void noCredentialAppearsInTheErrorOfAnUnreachableGitRemote() {
        assertNoSecretIn(fail("git://deployer:" + URL_SECRET + "@127.0.0.1:" + closedPort + "/deploy.git"),
                "git://***@127.0.0.1:" + closedPort + "/deploy.git");
    }

    @Test
    void noCredentialAppearsWhenTheSecretIsTheWholeUserinfo() {
        assertNoSecretIn(fail("http://" + URL_SECRET + "@127.0.0.1:" + closedPort + "/deploy.git"),
                "http://***@127.0.0.1:" + closedPort + "/deploy.git");
    }

    @Test
    void aFailingPasswordSupplierIsASourceErrorWithoutTheSecretFilesContent() {
        GitRemote remote = new GitRemote("https://git.example.com/x", null, () -> {
            throw new IllegalStateException("cannot read /var/run/secrets/git-token");
        });

        SourceException e = catchThrowableOfType(SourceException.class,
                () -> source.fetch(remote, "env/dev", temp.resolve("work")));

        assertThat(e).hasMessage("could not read the password for https://git.example.com/x: "
                + "cannot read /var/run/secrets/git-token");
    }

    private SourceException fail(String url) {
        GitRemote remote = new GitRemote(url, "deployer", () -> SUPPLIED_SECRET);
        return catchThrowableOfType(SourceException.class, () -> source.checkout(remote, "env/dev", temp.resolve("work")));
    }

    private static void assertNoSecretIn(SourceException e, String redactedUrl) {
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).startsWith("could not fetch " + redactedUrl + " branch env/dev: ");
        assertThat(e.url()).isEqualTo(redactedUrl);
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(URL_SECRET, SUPPLIED_SECRET);
            assertThat(t.toString()).doesNotContain(URL_SECRET, SUPPLIED_SECRET);
        }
        assertThat(trace.toString()).doesNotContain(URL_SECRET, SUPPLIED_SECRET).contains("Caused by");
    }
}
