package dev.drawbridge.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;

import org.eclipse.jgit.transport.Daemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Fetches over a real network transport: JGit's git daemon on the loopback interface. */
class GitDaemonTest {

    @TempDir
    Path temp;

    Upstream upstream;
    Daemon daemon;
    JGitSource source = new JGitSource(Duration.ofSeconds(5), 3);

    @BeforeEach
    void startDaemon() throws Exception {
        upstream = Upstream.create(temp.resolve("upstream"));
        daemon = new Daemon(new InetSocketAddress("127.0.0.1", 0));
        daemon.setRepositoryResolver((client, name) -> {
            upstream.git.getRepository().incrementOpen();
            return upstream.git.getRepository();
        });
        daemon.start();
    }

    @AfterEach
    void stopDaemon() throws Exception {
        daemon.stopAndWait();
        upstream.close();
    }

    private String url() {
        return "git://127.0.0.1:" + daemon.getAddress().getPort() + "/deploy.git";
    }

    @Test
    void checksOutABranchServedByAGitDaemon() throws Exception {
        String sha = upstream.commit("env/production", "overlays/production/kustomization.yaml", "prod\n");

        Checkout checkout = source.checkout(GitRemote.of(url()), "env/production", temp.resolve("work"));

        assertThat(checkout.revision()).isEqualTo(new Revision("env/production", sha));
        assertThat(checkout.root().resolve("overlays/production/kustomization.yaml")).hasContent("prod");
    }

    @Test
    void followsNewCommitsOverTheNetwork() throws Exception {
        upstream.commit("env/dev", "app.yaml", "v1\n");
        GitRemote remote = GitRemote.of(url());
        source.fetch(remote, "env/dev", temp.resolve("work"));
        String second = upstream.commit("env/dev", "app.yaml", "v2\n");

        BranchFetch fetch = source.fetch(remote, "env/dev", temp.resolve("work"));

        assertThat(fetch.revision().sha()).isEqualTo(second);
        assertThat(fetch.changed()).isTrue();
    }

    @Test
    void aMissingBranchOnTheDaemonIsAClearError() {
        assertThatThrownBy(() -> source.checkout(GitRemote.of(url()), "env/dev", temp.resolve("work")))
                .isInstanceOf(SourceException.class)
                .hasMessage("branch env/dev does not exist on " + url());
    }

    @Test
    @Timeout(10)
    void anUnreachableRemoteFailsFastWithAClearError() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String unreachable = "git://127.0.0.1:" + closedPort + "/x";

        assertThatThrownBy(() -> source.checkout(GitRemote.of(unreachable), "env/dev", temp.resolve("work")))
                .isInstanceOf(SourceException.class)
                .hasMessageStartingWith("could not fetch " + unreachable + " branch env/dev: ")
                .hasMessageContaining("Connection refused");
    }

    @Test
    @Timeout(20)
    void aRemoteThatNeverAnswersTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            // accepts connections (the kernel's backlog) and never answers; http: JGit bounds each read
            String url = "http://127.0.0.1:" + silent.getLocalPort() + "/deploy.git";
            JGitSource impatient = new JGitSource(Duration.ofSeconds(1), 3);

            assertThatThrownBy(() -> impatient.fetch(GitRemote.of(url), "env/dev", temp.resolve("work")))
                    .isInstanceOf(SourceException.class)
                    .hasMessageStartingWith("could not fetch " + url + " branch env/dev: ")
                    .hasMessageContaining("timed out");
        }
    }
}
