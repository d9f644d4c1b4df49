package dev.drawbridge.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void headShaChangesAfterANewCommitAndAnUnchangedBranchReportsNoChange() throws Exception {
        String first = upstream.commit("env/dev", "app.yaml", "v1\n");
        BranchFetch initial = source.fetch(remote, "env/dev", workDir);
        assertThat(initial.revision().sha()).isEqualTo(first);
        assertThat(initial.previousSha()).isNull();
        assertThat(initial.changed()).isTrue();

        BranchFetch again = source.fetch(remote, "env/dev", workDir);
        assertThat(again.changed()).isFalse();
        assertThat(again.forcePushed()).isFalse();

        String second = upstream.commit("env/dev", "app.yaml", "v2\n");
        Checkout checkout = source.checkout(remote, "env/dev", workDir);
        assertThat(checkout.revision().sha()).isEqualTo(second).isNotEqualTo(first);
        assertThat(checkout.root().resolve("app.yaml")).hasContent("v2");
        BranchFetch last = source.lastFetch(remote, "env/dev", workDir).orElseThrow();
        assertThat(last.previousSha()).isEqualTo(first);
        assertThat(last.changed()).isTrue();
        assertThat(last.forcePushed()).isFalse();
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
    void containsTellsWhetherARevisionIsStillInTheHistoryOfTheFetchedHead() throws Exception {
        String first = upstream.commit("env/dev", "app.yaml", "v1\n");
        String second = upstream.commit("env/dev", "app.yaml", "v2\n");
        source.fetch(remote, "env/dev", workDir);
        assertThat(source.contains(remote, second, first, workDir)).isTrue();
        assertThat(source.contains(remote, second, second, workDir)).isTrue();
        assertThat(source.contains(remote, first, second, workDir)).isFalse();

        String rewritten = upstream.forcePush("env/dev", "app.yaml", "v2-rewritten\n");
        source.fetch(remote, "env/dev", workDir);

        assertThat(source.contains(remote, rewritten, second, workDir)).as("dropped by the force-push").isFalse();
        assertThat(source.contains(remote, rewritten, first, workDir)).isTrue();
        assertThat(source.contains(remote, rewritten, "0123456789abcdef0123456789abcdef01234567", workDir))
                .as("never fetched").isFalse();
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
    void keepsTheExecutableBitAndWritesSymlinksAsSymlinks() throws Exception {
        upstream.switchTo("env/dev");
        upstream.write("scripts/hook.sh", "#!/bin/sh\necho hi\n");
        upstream.makeExecutable("scripts/hook.sh");
        upstream.write("base/app.yaml", "kind: ConfigMap\n");
        upstream.symlink("overlays/dev/app.yaml", "../../base/app.yaml");
        upstream.commitAll("exec and link");

        Path root = source.checkout(remote, "env/dev", workDir).root();

        assertThat(Files.getPosixFilePermissions(root.resolve("scripts/hook.sh")))
                .contains(PosixFilePermission.OWNER_EXECUTE);
        assertThat(Files.getPosixFilePermissions(root.resolve("base/app.yaml")))
                .doesNotContain(PosixFilePermission.OWNER_EXECUTE);
        Path link = root.resolve("overlays/dev/app.yaml");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("../../base/app.yaml"));
        assertThat(link).hasContent("kind: ConfigMap");
    }

    @Test
    void reusesAMaterialisedTreeAndKeepsOnlyTheLastFew() throws Exception {
        String first = upstream.commit("env/dev", "app.yaml", "v1\n");
        Path firstRoot = source.checkout(remote, "env/dev", workDir).root();
        Files.writeString(firstRoot.resolve("marker"), "same directory");
        assertThat(source.checkout(remote, "env/dev", workDir).root().resolve("marker")).exists();

        for (int i = 2; i <= 5; i++) {
            upstream.commit("env/dev", "app.yaml", "v" + i + "\n");
            source.checkout(remote, "env/dev", workDir);
        }
        TreePruner.awaitPrunes();

        try (var trees = Files.list(workDir.resolve("trees"))) {
            assertThat(trees.filter(p -> !p.getFileName().toString().startsWith("."))).hasSize(3);
        }
        assertThat(workDir.resolve("trees").resolve(first)).doesNotExist();
    }

    @Test
    void aNewCommitLinksTheUnchangedFilesOfThePreviousTreeAndWritesTheRest() throws Exception {
        upstream.switchTo("env/dev");
        upstream.write("base/a.yaml", "a1\n");
        upstream.write("base/b.yaml", "b1\n");
        upstream.write("base/gone.yaml", "gone\n");
        upstream.write("scripts/run.sh", "#!/bin/sh\n");
        upstream.commitAll("first");
        Path first = source.checkout(remote, "env/dev", workDir).root();

        upstream.switchTo("env/dev");
        upstream.write("base/b.yaml", "b2\n");
        Files.delete(upstream.dir.resolve("base/gone.yaml"));
        upstream.makeExecutable("scripts/run.sh"); // same blob, new mode
        upstream.write("base/new.yaml", "new\n");
        upstream.commitAll("second");
        Path second = source.checkout(remote, "env/dev", workDir).root();

        assertThat(inode(second.resolve("base/a.yaml"))).isEqualTo(inode(first.resolve("base/a.yaml")));
        assertThat(second.resolve("base/a.yaml")).hasContent("a1");
        assertThat(inode(second.resolve("base/b.yaml"))).isNotEqualTo(inode(first.resolve("base/b.yaml")));
        assertThat(second.resolve("base/b.yaml")).hasContent("b2");
        assertThat(first.resolve("base/b.yaml")).hasContent("b1");
        assertThat(second.resolve("base/gone.yaml")).doesNotExist();
        assertThat(second.resolve("base/new.yaml")).hasContent("new");
        assertThat(inode(second.resolve("scripts/run.sh"))).isNotEqualTo(inode(first.resolve("scripts/run.sh")));
        assertThat(Files.getPosixFilePermissions(second.resolve("scripts/run.sh"))).contains(PosixFilePermission.OWNER_EXECUTE);
        assertThat(Files.getPosixFilePermissions(first.resolve("scripts/run.sh"))).doesNotContain(PosixFilePermission.OWNER_EXECUTE);
    }

    @Test
    void aPrunedPreviousTreeIsNotNeededToWriteTheNextOne() throws Exception {
        upstream.commit("env/dev", "app.yaml", "v1\n");
        Path first = source.checkout(remote, "env/dev", workDir).root();
        TreeFiles.deleteRecursively(first.resolve("app.yaml").getParent().resolve("README.md"));
        upstream.commit("env/dev", "app.yaml", "v2\n");

        Path second = source.checkout(remote, "env/dev", workDir).root();

        assertThat(second.resolve("README.md")).hasContent("deploy repository");
        assertThat(second.resolve("app.yaml")).hasContent("v2");
    }

    private static Object inode(Path file) throws Exception {
        return Files.getAttribute(file, "unix:ino");
    }

    @Test
    void readsOneFileFromTheMirror() throws Exception {
        upstream.commit("main", "policies/production.yaml", "kind: GatePolicy\n");
        Revision main = source.resolve(remote, "main", workDir);
        assertThat(source.readFile(remote, main, "policies/production.yaml", 1024, workDir))
                .hasValueSatisfying(b -> assertThat(new String(b)).isEqualTo("kind: GatePolicy\n"));
        assertThat(source.readFile(remote, main, "missing.yaml", 1024, workDir)).isEmpty();
    }

    @Test
    void theMirrorAndTheTreesArePrivate() throws Exception {
        upstream.commit("env/dev", "app.yaml", "v1\n");
        source.checkout(remote, "env/dev", workDir);

        assertThat(Files.getPosixFilePermissions(workDir.resolve("trees")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.OWNER_EXECUTE);
        assertThat(Files.getPosixFilePermissions(workDir.resolve("repos")))
                .doesNotContain(PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_READ);
    }

    @Test
    void fetchesOnlyTheAskedBranch() throws Exception {
        upstream.commit("env/dev", "app.yaml", "dev\n");
        upstream.commit("env/production", "app.yaml", "prod\n");

        source.fetch(remote, "env/dev", workDir);

        try (var repo = new org.eclipse.jgit.storage.file.FileRepositoryBuilder()
                .setGitDir(Mirrors.mirrorDir(remote, workDir).toFile()).setBare().build()) {
            assertThat(repo.getRefDatabase().getRefs()).extracting(r -> r.getName())
                    .containsExactly("refs/heads/env/dev");
        }
    }

    @Test
    void listsPullRequestHeadsWithLsRemote() throws Exception {
        String dev = upstream.commit("env/dev", "app.yaml", "v1\n");
        String pr = upstream.commit("feature", "app.yaml", "v2\n");
        upstream.createRef("refs/pull/7/head", pr);
        upstream.createRef("refs/pull/8/head", dev);
        upstream.createRef("refs/pull/8/merge", dev);

        Map<String, String> refs = source.listRemoteRefs(remote, "refs/pull/*/head");

        assertThat(refs).containsExactly(Map.entry("refs/pull/7/head", pr), Map.entry("refs/pull/8/head", dev));
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
    void refusesAnInvalidBranchName() {
        assertThatThrownBy(() -> source.fetch(remote, "env/../dev", workDir))
                .isInstanceOf(SourceException.class)
                .hasMessage("Invalid branch name: env/../dev");
    }

    @Test
    void anSshHostThatCannotBeCheckedIsNotContacted() throws Exception {
        Path noKnownHosts = workDir.resolve("no/known_hosts");
        GitRemote ssh = new GitRemote("git@git.example.invalid:platform/deploy.git", null, null,
                new SshSettings(null, null, noKnownHosts));

        assertThatThrownBy(() -> source.fetch(ssh, "env/dev", workDir))
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

        assertThatThrownBy(() -> source.fetch(ssh, "env/dev", workDir))
                .isInstanceOf(SourceException.class)
                .hasMessage("could not fetch ssh://***@git.example.invalid/deploy.git branch env/dev: "
                        + "unknown host git.example.invalid");
    }

    @Test
    void anUnknownHostIsNamed() {
        assertThatThrownBy(() -> source.fetch(GitRemote.of("https://git.example.invalid/deploy.git"), "env/dev", workDir))
                .isInstanceOf(SourceException.class)
                .hasMessageStartingWith("could not fetch https://git.example.invalid/deploy.git branch env/dev: ")
                .hasMessageContaining("unknown host git.example.invalid");
    }

    @Test
    void refusesATreeWhosePathsWouldLeaveTheCheckout() throws Exception {
        upstream.commitUnsafeTree("env/dev", "..");

        assertThatThrownBy(() -> source.checkout(remote, "env/dev", workDir))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("holds an unsafe path: ../evil.yaml");
        assertThat(workDir.resolve("evil.yaml")).doesNotExist();
        try (var trees = Files.list(workDir.resolve("trees"))) {
            assertThat(trees).isEmpty();
        }
    }

    @Test
    void refusesATreeThatWritesGitMetadata() throws Exception {
        upstream.commitUnsafeTree("env/dev", ".GIT");

        assertThatThrownBy(() -> source.checkout(remote, "env/dev", workDir))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("holds an unsafe path: .GIT/evil.yaml");
    }
}
