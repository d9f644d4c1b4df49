package dev.drawbridge.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Map;

import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetching one branch into its private mirror ({@link Fetcher}), from a real repository. */
class FetcherTest {

    @TempDir
    Path temp;

    Upstream upstream;
    GitRemote remote;
    Path workDir;
    // the mirror, as for network remotes; a generous timeout, so that a slow start of ssh on a busy machine is not
    // taken for the unreachable host the ssh cases expect
    Fetcher fetcher = new Fetcher(Duration.ofSeconds(30), new Mirrors(false));

    @BeforeEach
    void createUpstream() throws Exception {
        IsolatedGitConfig.install();
        upstream = Upstream.create(temp.resolve("upstream"));
        remote = GitRemote.of(upstream.url());
        workDir = temp.resolve("work");
    }

    @AfterEach
    void close() {
        upstream.close();
    }

    @Test
    void headShaChangesAfterANewCommitAndAnUnchangedBranchReportsNoChange() throws Exception {
        String first = upstream.commit("env/dev", "app.yaml", "v1\n");
        BranchFetch initial = fetcher.fetch(remote, "env/dev", workDir);
        assertThat(initial.revision()).isEqualTo(new Revision("env/dev", first));
        assertThat(initial.previousSha()).isNull();
        assertThat(initial.changed()).isTrue();

        BranchFetch again = fetcher.fetch(remote, "env/dev", workDir);
        assertThat(again.changed()).isFalse();
        assertThat(again.forcePushed()).isFalse();

        String second = upstream.commit("env/dev", "app.yaml", "v2\n");
        BranchFetch moved = fetcher.fetch(remote, "env/dev", workDir);
        assertThat(moved.revision().sha()).isEqualTo(second);
        assertThat(moved.previousSha()).isEqualTo(first);
        assertThat(moved.changed()).isTrue();
        assertThat(moved.forcePushed()).isFalse();
        assertThat(fetcher.lastFetch(remote, "env/dev", workDir)).contains(moved);
        assertThat(fetcher.lastFetch(remote, "env/acceptance", workDir)).isEmpty();
    }

    @Test
    void detectsAForcePushAndStillTakesTheNewHead() throws Exception {
        upstream.commit("env/dev", "app.yaml", "v1\n");
        String old = upstream.commit("env/dev", "app.yaml", "v2\n");
        fetcher.fetch(remote, "env/dev", workDir);

        String rewritten = upstream.forcePush("env/dev", "app.yaml", "v2-rewritten\n");
        BranchFetch fetch = fetcher.fetch(remote, "env/dev", workDir);

        assertThat(fetch.revision().sha()).isEqualTo(rewritten);
        assertThat(fetch.forcePushed()).isTrue();
        assertThat(fetch.previousSha()).isEqualTo(old);
    }

    @Test
    void aRepositoryOnThisMachineIsResolvedInPlaceAndAForcePushIsStillTold() throws Exception {
        Fetcher inPlace = new Fetcher(Duration.ofSeconds(5), new Mirrors(true));
        String first = upstream.commit("env/dev", "app.yaml", "v1\n");
        assertThat(inPlace.fetch(remote, "env/dev", workDir).revision().sha()).isEqualTo(first);

        String second = upstream.commit("env/dev", "app.yaml", "v2\n");
        BranchFetch moved = inPlace.fetch(remote, "env/dev", workDir);
        String rewritten = upstream.forcePush("env/dev", "app.yaml", "v2-rewritten\n");
        BranchFetch forced = inPlace.fetch(remote, "env/dev", workDir);

        assertThat(moved.previousSha()).isEqualTo(first);
        assertThat(moved.forcePushed()).isFalse();
        assertThat(forced.revision().sha()).isEqualTo(rewritten);
        assertThat(forced.previousSha()).isEqualTo(second);
        assertThat(forced.forcePushed()).isTrue();
        assertThat(workDir.resolve("repos")).doesNotExist();
    }

    @Test
    void aDeletedBranchIsAClearError() throws Exception {
        upstream.commit("env/dev", "app.yaml", "v1\n");
        fetcher.fetch(remote, "env/dev", workDir);
        upstream.deleteBranch("env/dev");

        assertThatThrownBy(() -> fetcher.fetch(remote, "env/dev", workDir))
                .isInstanceOf(SourceException.class)
                .hasMessage("branch env/dev does not exist on " + upstream.url())
                .satisfies(e -> {
                    assertThat(((SourceException) e).branch()).isEqualTo("env/dev");
                    assertThat(((SourceException) e).url()).isEqualTo(upstream.url());
                });
    }

    @Test
    void fetchesOnlyTheAskedBranchIntoAPrivateMirror() throws Exception {
        upstream.commit("env/dev", "app.yaml", "dev\n");
        upstream.commit("env/production", "app.yaml", "prod\n");

        fetcher.fetch(remote, "env/dev", workDir);

        try (var repo = new FileRepositoryBuilder().setGitDir(Mirrors.mirrorDir(remote, workDir).toFile()).setBare().build()) {
            assertThat(repo.getRefDatabase().getRefs()).extracting(r -> r.getName())
                    .containsExactly("refs/heads/env/dev");
        }
        assertThat(Files.getPosixFilePermissions(workDir.resolve("repos")))
                .doesNotContain(PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_READ);
    }

    @Test
    void aPullRequestHeadCanBeFetchedByItsFullRefName() throws Exception {
        String pr = upstream.commit("feature", "app.yaml", "pr\n");
        upstream.createRef("refs/pull/7/head", pr);

        assertThat(fetcher.fetch(remote, "refs/pull/7/head", workDir).revision())
                .isEqualTo(new Revision("refs/pull/7/head", pr));
        assertThatThrownBy(() -> fetcher.fetch(remote, "refs/pull/8/head", workDir))
                .isInstanceOf(SourceException.class)
                .hasMessage("ref refs/pull/8/head does not exist on " + upstream.url());
    }

    @Test
    void listsPullRequestHeadsWithLsRemote() throws Exception {
        String dev = upstream.commit("env/dev", "app.yaml", "v1\n");
        String pr = upstream.commit("feature", "app.yaml", "v2\n");
        upstream.createRef("refs/pull/7/head", pr);
        upstream.createRef("refs/pull/8/head", dev);
        upstream.createRef("refs/pull/8/merge", dev);

        Map<String, String> refs = fetcher.listRemoteRefs(remote, "refs/pull/*/head");

        assertThat(refs).containsExactly(Map.entry("refs/pull/7/head", pr), Map.entry("refs/pull/8/head", dev));
    }

    @Test
    void refusesAnInvalidBranchName() {
        assertThatThrownBy(() -> fetcher.fetch(remote, "env/../dev", workDir))
                .isInstanceOf(SourceException.class)
                .hasMessage("Invalid branch name: env/../dev");
    }

    @Test
    void refusesATimeoutUnderOneSecond() {
        assertThatThrownBy(() -> new Fetcher(Duration.ofMillis(500), new Mirrors(false)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid Git timeout: PT0.5S (at least 1s)");
    }

    @Test
    void anSshHostThatCannotBeCheckedIsNotContacted() throws Exception {
        Path noKnownHosts = workDir.resolve("no/known_hosts");
        GitRemote ssh = new GitRemote("git@git.example.invalid:platform/deploy.git", null, null,
                new SshSettings(null, null, noKnownHosts));

        assertThatThrownBy(() -> fetcher.fetch(ssh, "env/dev", workDir))
                .isInstanceOf(SourceException.class)
                .hasMessage("could not fetch git@git.example.invalid:platform/deploy.git branch env/dev: the known_hosts file "
                        + noKnownHosts + " does not exist, so the host key of git.example.invalid cannot be checked;"
                        + " add the host's key to it (e.g. ssh-keyscan git.example.invalid >> " + noKnownHosts
                        + ", after checking its fingerprint)");
    }

    @Test
    void anUnknownSshHostIsNamed() throws Exception {
        Path knownHosts = Files.createDirectories(workDir.resolve("ssh")).resolve("known_hosts");
        Files.writeString(knownHosts, "");
        GitRemote ssh = new GitRemote("ssh://git@git.example.invalid/deploy.git", null, null,
                new SshSettings(null, null, knownHosts));

        assertThatThrownBy(() -> fetcher.fetch(ssh, "env/dev", workDir))
                .isInstanceOf(SourceException.class)
                .hasMessage("could not fetch ssh://***@git.example.invalid/deploy.git branch env/dev: "
                        + "unknown host git.example.invalid");
    }

    @Test
    void anUnknownHostIsNamed() {
        assertThatThrownBy(() -> fetcher.fetch(GitRemote.of("https://git.example.invalid/deploy.git"), "env/dev", workDir))
                .isInstanceOf(SourceException.class)
                .hasMessageStartingWith("could not fetch https://git.example.invalid/deploy.git branch env/dev: ")
                .hasMessageContaining("unknown host git.example.invalid");
    }
}
