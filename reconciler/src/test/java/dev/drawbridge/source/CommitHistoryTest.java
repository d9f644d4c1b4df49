package dev.drawbridge.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How fetched commits relate ({@link JGitHistory}), in real repositories: the force-push guard and merge bases. */
class CommitHistoryTest {

    static final String NEVER_FETCHED = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path temp;

    Upstream upstream;
    GitRemote remote;
    Path workDir;
    Mirrors mirrors = new Mirrors(false); // through the mirror, as for network remotes
    Fetcher fetcher = new Fetcher(Duration.ofSeconds(5), mirrors);
    JGitHistory history = new JGitHistory(mirrors);

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
    void containsTellsWhetherARevisionIsStillInTheHistoryOfTheFetchedHead() throws Exception {
        String first = upstream.commit("env/dev", "app.yaml", "v1\n");
        String second = upstream.commit("env/dev", "app.yaml", "v2\n");
        fetcher.fetch(remote, "env/dev", workDir);
        assertThat(history.contains(remote, second, first, workDir)).isTrue();
        assertThat(history.contains(remote, second, second, workDir)).isTrue();
        assertThat(history.contains(remote, first, second, workDir)).isFalse();

        String rewritten = upstream.forcePush("env/dev", "app.yaml", "v2-rewritten\n");
        fetcher.fetch(remote, "env/dev", workDir);

        assertThat(history.contains(remote, rewritten, second, workDir)).as("dropped by the force-push").isFalse();
        assertThat(history.contains(remote, rewritten, first, workDir)).isTrue();
        assertThat(history.contains(remote, rewritten, NEVER_FETCHED, workDir)).as("never fetched").isFalse();
    }

    @Test
    void containsRefusesWhatIsNotACommitSha() throws Exception {
        String head = upstream.commit("env/dev", "app.yaml", "v1\n");
        fetcher.fetch(remote, "env/dev", workDir);

        assertThatThrownBy(() -> history.contains(remote, head, "env/dev", workDir))
                .isInstanceOf(SourceException.class)
                .hasMessage("Invalid commit sha: env/dev");
    }

    @Test
    void containsOfAHeadThatWasNeverFetchedIsAClearError() throws Exception {
        String fetched = upstream.commit("env/dev", "app.yaml", "v1\n");
        fetcher.fetch(remote, "env/dev", workDir);
        String later = upstream.commit("env/dev", "app.yaml", "v2\n");

        assertThatThrownBy(() -> history.contains(remote, later, fetched, workDir))
                .isInstanceOf(SourceException.class)
                .hasMessage("commit " + later + " has not been fetched from " + upstream.url() + "; fetch its ref first");
    }

    @Test
    void theMergeBaseOfAPullRequestHeadIsTheCommitItWasCutFrom() throws Exception {
        upstream.commit("env/dev", "app.yaml", "v1\n");
        String cut = upstream.commit("env/dev", "app.yaml", "v2\n");
        upstream.git.checkout().setCreateBranch(true).setName("feature").setStartPoint("env/dev").call();
        upstream.write("feature.yaml", "new\n");
        String pr = upstream.commitAll("feature");
        String dev = upstream.commit("env/dev", "app.yaml", "v3\n");
        fetcher.fetch(remote, "env/dev", workDir);
        fetcher.fetch(remote, "feature", workDir);

        CommitHistory.MergeBase base = history.mergeBase(remote, pr, dev, workDir).orElseThrow();

        assertThat(base.sha()).isEqualTo(cut);
        assertThat(base.time()).isEqualTo(commitTime(cut));
        assertThat(history.mergeBase(remote, dev, pr, workDir)).contains(base);
        assertThat(history.mergeBase(remote, dev, cut, workDir).orElseThrow().sha()).as("an ancestor is its own base")
                .isEqualTo(cut);
    }

    @Test
    void commitsThatShareNoHistoryHaveNoMergeBase() throws Exception {
        String dev = upstream.commit("env/dev", "app.yaml", "v1\n");
        upstream.git.checkout().setOrphan(true).setName("unrelated").call();
        upstream.write("other.yaml", "other\n");
        String unrelated = upstream.commitAll("unrelated root");
        fetcher.fetch(remote, "env/dev", workDir);
        fetcher.fetch(remote, "unrelated", workDir);

        assertThat(history.mergeBase(remote, dev, unrelated, workDir)).isEmpty();
    }

    @Test
    void aMergeBaseOfACommitThatWasNeverFetchedIsAClearError() throws Exception {
        String dev = upstream.commit("env/dev", "app.yaml", "v1\n");
        fetcher.fetch(remote, "env/dev", workDir);

        assertThatThrownBy(() -> history.mergeBase(remote, dev, NEVER_FETCHED, workDir))
                .isInstanceOf(SourceException.class)
                .hasMessage("a commit has not been fetched from " + upstream.url() + "; fetch its ref first");
    }

    @Test
    void aRepositoryOnThisMachineIsReadInPlaceWithoutAMirror() throws Exception {
        String first = upstream.commit("env/dev", "app.yaml", "v1\n");
        String second = upstream.commit("env/dev", "app.yaml", "v2\n");
        JGitHistory inPlace = new JGitHistory(new Mirrors(true));

        assertThat(inPlace.contains(remote, second, first, workDir)).isTrue();
        assertThat(inPlace.contains(remote, first, second, workDir)).isFalse();
        assertThat(inPlace.mergeBase(remote, first, second, workDir).orElseThrow().sha()).isEqualTo(first);
        assertThat(workDir.resolve("repos")).doesNotExist();
    }

    @Test
    void aHeadDescendsFromAnEarlierHeadUnlessTheBranchWasForcePushed() throws Exception {
        String first = upstream.commit("env/dev", "app.yaml", "v1\n");
        String second = upstream.commit("env/dev", "app.yaml", "v2\n");
        String rewritten = upstream.forcePush("env/dev", "app.yaml", "v2-rewritten\n");
        Repository repo = upstream.git.getRepository();

        assertThat(JGitHistory.descends(repo, id(first), id(second))).isTrue();
        assertThat(JGitHistory.descends(repo, id(first), id(rewritten))).isTrue();
        assertThat(JGitHistory.descends(repo, id(second), id(rewritten))).as("rewritten").isFalse();
        assertThat(JGitHistory.descends(repo, id(second), id(first))).as("moved back").isFalse();
        assertThat(JGitHistory.descends(repo, id(NEVER_FETCHED), id(second))).as("unknown").isFalse();
    }

    private Instant commitTime(String sha) throws Exception {
        return Instant.ofEpochSecond(upstream.git.getRepository().parseCommit(id(sha)).getCommitTime());
    }

    private static ObjectId id(String sha) {
        return ObjectId.fromString(sha);
    }
}
