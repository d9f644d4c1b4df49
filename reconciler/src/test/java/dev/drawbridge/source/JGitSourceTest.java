package dev.drawbridge.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The facade ({@link JGitSource}) composes its parts: each part has its own test ({@code FetcherTest},
 * {@code MaterialiserTest}, {@code RevisionFilesTest}, {@code CommitHistoryTest}); these check the composition.
 */
class JGitSourceTest {

    @TempDir
    Path temp;

    Upstream upstream;
    GitRemote remote;
    Path workDir;
    JGitSource source = new JGitSource(Duration.ofSeconds(5), 3, false); // the mirror path, as for network remotes

    @BeforeEach
    void createUpstream() throws Exception {
        upstream = Upstream.create(temp.resolve("upstream"));
        remote = GitRemote.of(upstream.url());
        workDir = temp.resolve("work");
    }

    @AfterEach
    void close() {
        upstream.close();
    }

    @Test
    void materialisesEachEnvironmentBranchWithItsOwnContent() throws Exception {
        String dev = upstream.commit("env/dev", "overlays/dev/kustomization.yaml", "dev\n");
        String acc = upstream.commit("env/acceptance", "overlays/acceptance/kustomization.yaml", "acceptance\n");
        String prod = upstream.commit("env/production", "overlays/production/kustomization.yaml", "production\n");

        Checkout devCheckout = source.checkout(remote, "env/dev", workDir);
        Checkout accCheckout = source.checkout(remote, "env/acceptance", workDir);
        Checkout prodCheckout = source.checkout(remote, "env/production", workDir);

        assertThat(devCheckout.revision()).isEqualTo(new Revision("env/dev", dev));
        assertThat(devCheckout.root()).isEqualTo(workDir.resolve("trees").resolve(dev));
        assertThat(devCheckout.root().resolve("overlays/dev/kustomization.yaml")).hasContent("dev");
        assertThat(devCheckout.root().resolve("overlays/production")).doesNotExist();
        assertThat(devCheckout.root().resolve("README.md")).hasContent("deploy repository");
        assertThat(accCheckout.revision().sha()).isEqualTo(acc);
        assertThat(accCheckout.root().resolve("overlays/acceptance/kustomization.yaml")).hasContent("acceptance");
        assertThat(prodCheckout.revision().sha()).isEqualTo(prod);
        assertThat(prodCheckout.root().resolve("overlays/production/kustomization.yaml")).hasContent("production");
    }

    @Test
    void resolveFetchesWithoutMaterialising() throws Exception {
        String sha = upstream.commit("env/dev", "app.yaml", "v1\n");

        Revision revision = source.resolve(remote, "env/dev", workDir);

        assertThat(revision).isEqualTo(new Revision("env/dev", sha));
        assertThat(workDir.resolve("trees").resolve(sha)).doesNotExist();
        Checkout checkout = source.materialise(remote, revision, workDir);
        assertThat(checkout.root().resolve("app.yaml")).hasContent("v1");
    }

    @Test
    void detectsAForcePushAndStillTakesTheNewHead() throws Exception {
        upstream.commit("env/dev", "app.yaml", "v1\n");
        String old = upstream.commit("env/dev", "app.yaml", "v2\n");
        source.fetch(remote, "env/dev", workDir);

        String rewritten = upstream.forcePush("env/dev", "app.yaml", "v2-rewritten\n");
        Checkout checkout = source.checkout(remote, "env/dev", workDir);

        assertThat(checkout.revision().sha()).isEqualTo(rewritten);
        assertThat(checkout.root().resolve("app.yaml")).hasContent("v2-rewritten");
        BranchFetch fetch = source.lastFetch(remote, "env/dev", workDir).orElseThrow();
        assertThat(fetch.forcePushed()).isTrue();
        assertThat(fetch.previousSha()).isEqualTo(old);
    }

    @Test
    void aDeletedBranchIsAClearError() throws Exception {
        upstream.commit("env/dev", "app.yaml", "v1\n");
        source.fetch(remote, "env/dev", workDir);
        upstream.deleteBranch("env/dev");

        assertThatThrownBy(() -> source.checkout(remote, "env/dev", workDir))
                .isInstanceOf(SourceException.class)
                .hasMessage("branch env/dev does not exist on " + upstream.url())
                .satisfies(e -> {
                    assertThat(((SourceException) e).branch()).isEqualTo("env/dev");
                    assertThat(((SourceException) e).url()).isEqualTo(upstream.url());
                });
    }

    @Test
    void aPullRequestHeadCanBeFetchedByItsFullRefName() throws Exception {
        String pr = upstream.commit("feature", "app.yaml", "pr\n");
        upstream.createRef("refs/pull/7/head", pr);

        Checkout checkout = source.checkout(remote, "refs/pull/7/head", workDir);

        assertThat(checkout.revision().sha()).isEqualTo(pr);
        assertThat(checkout.root().resolve("app.yaml")).hasContent("pr");
    }
    @Test
    void aSlotCheckoutFetchesTheBranchAndBringsTheSlotToItsHead() throws Exception {
        String first = upstream.commit("env/dev", "app.yaml", "v1\n");
        source.checkout(remote, "env/dev", workDir, "environment/dev");
        String second = upstream.commit("env/dev", "app.yaml", "v2\n");

        Checkout checkout = source.checkout(remote, "env/dev", workDir, "environment/dev");

        assertThat(checkout.revision()).isEqualTo(new Revision("env/dev", second));
        assertThat(checkout.root().getParent()).isEqualTo(workDir.resolve("slots"));
        assertThat(checkout.root().resolve("app.yaml")).hasContent("v2");
        assertThat(checkout.since()).isEqualTo(new Checkout.Since(first, Set.of("app.yaml")));
    }

    @Test
    void answersHistoryQuestionsAboutWhatItFetchedAndReadsItsFiles() throws Exception {
        String first = upstream.commit("env/dev", "app.yaml", "v1\n");
        String second = upstream.commit("env/dev", "app.yaml", "v2\n");
        Revision head = source.resolve(remote, "env/dev", workDir);

        assertThat(source.contains(remote, second, first, workDir)).isTrue();
        assertThat(source.contains(remote, first, second, workDir)).isFalse();
        assertThat(source.mergeBase(remote, first, second, workDir).map(CommitHistory.MergeBase::sha)).contains(first);
        assertThat(source.readFile(remote, head, "app.yaml", 1024, workDir)).hasValueSatisfying(
                b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("v2\n"));
        assertThat(source.listRemoteRefs(remote, "refs/heads/env/*")).containsExactly(Map.entry("refs/heads/env/dev", second));
    }

    @Test
    void refusesASettingOutOfRange() {
        assertThatThrownBy(() -> new JGitSource(Duration.ZERO, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Invalid Git timeout: PT0S (at least 1s)");
        assertThatThrownBy(() -> new JGitSource(Duration.ofSeconds(5), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Invalid number of trees to keep: 0 (at least 1)");
    }
}
