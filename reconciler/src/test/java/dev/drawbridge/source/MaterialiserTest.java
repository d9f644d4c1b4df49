package dev.drawbridge.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writing the tree of a fetched revision ({@link Materialiser}): into {@code trees/<sha>}, the last few kept, and
 * into a slot. {@code SlotCheckoutTest} compares slots with fresh trees across every kind of change.
 */
class MaterialiserTest {

    @TempDir
    Path temp;

    Upstream upstream;
    GitRemote remote;
    Path workDir;
    Mirrors mirrors = new Mirrors(false); // the mirror, as for network remotes
    Fetcher fetcher = new Fetcher(Duration.ofSeconds(5), mirrors);
    Materialiser materialiser = new Materialiser(3, mirrors);

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

    private Revision fetched(String branch) throws SourceException {
        return fetcher.fetch(remote, branch, workDir).revision();
    }

    @Test
    void writesTheTreeOfARevisionIntoAPrivateDirectoryNamedByItsSha() throws Exception {
        String sha = upstream.commit("env/dev", "overlays/dev/kustomization.yaml", "dev\n");

        Checkout checkout = materialiser.tree(remote, fetched("env/dev"), workDir);

        assertThat(checkout.revision()).isEqualTo(new Revision("env/dev", sha));
        assertThat(checkout.root()).isEqualTo(workDir.resolve("trees").resolve(sha));
        assertThat(checkout.root().resolve("overlays/dev/kustomization.yaml")).hasContent("dev");
        assertThat(checkout.root().resolve("README.md")).hasContent("deploy repository");
        assertThat(checkout.since()).isNull();
        assertThat(Files.getPosixFilePermissions(workDir.resolve("trees")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.OWNER_EXECUTE);
    }

    @Test
    void keepsTheExecutableBitAndWritesSymlinksAsSymlinks() throws Exception {
        upstream.switchTo("env/dev");
        upstream.write("scripts/hook.sh", "#!/bin/sh\necho hi\n");
        upstream.makeExecutable("scripts/hook.sh");
        upstream.write("base/app.yaml", "kind: ConfigMap\n");
        upstream.symlink("overlays/dev/app.yaml", "../../base/app.yaml");
        upstream.commitAll("exec and link");

        Path root = materialiser.tree(remote, fetched("env/dev"), workDir).root();

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
        Path firstRoot = materialiser.tree(remote, fetched("env/dev"), workDir).root();
        Files.writeString(firstRoot.resolve("marker"), "same directory");
        assertThat(materialiser.tree(remote, fetched("env/dev"), workDir).root().resolve("marker")).exists();

        for (int i = 2; i <= 5; i++) {
            upstream.commit("env/dev", "app.yaml", "v" + i + "\n");
            materialiser.tree(remote, fetched("env/dev"), workDir);
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
        Path first = materialiser.tree(remote, fetched("env/dev"), workDir).root();

        upstream.switchTo("env/dev");
        upstream.write("base/b.yaml", "b2\n");
        Files.delete(upstream.dir.resolve("base/gone.yaml"));
        upstream.makeExecutable("scripts/run.sh"); // same blob, new mode
        upstream.write("base/new.yaml", "new\n");
        upstream.commitAll("second");
        Path second = materialiser.tree(remote, fetched("env/dev"), workDir).root();

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
        Path first = materialiser.tree(remote, fetched("env/dev"), workDir).root();
        TreeFiles.deleteRecursively(first.resolve("README.md"));
        upstream.commit("env/dev", "app.yaml", "v2\n");

        Path second = materialiser.tree(remote, fetched("env/dev"), workDir).root();

        assertThat(second.resolve("README.md")).hasContent("deploy repository");
        assertThat(second.resolve("app.yaml")).hasContent("v2");
    }

    @Test
    void aSlotIsBroughtFromRevisionToRevisionInPlaceAndSaysWhatChanged() throws Exception {
        upstream.switchTo("env/dev");
        upstream.write("a.yaml", "a1\n");
        upstream.write("b.yaml", "b1\n");
        String first = upstream.commitAll("first");
        Checkout one = materialiser.slot(remote, fetched("env/dev"), workDir, "environment/dev");
        Object untouched = inode(one.root().resolve("a.yaml"));

        Checkout again = materialiser.slot(remote, fetched("env/dev"), workDir, "environment/dev");
        upstream.commit("env/dev", "b.yaml", "b2\n");
        Checkout two = materialiser.slot(remote, fetched("env/dev"), workDir, "environment/dev");

        assertThat(one.root()).isEqualTo(workDir.resolve("slots").resolve(Mirrors.shortHash("environment/dev")));
        assertThat(one.since()).as("written whole").isNull();
        assertThat(again.since()).isEqualTo(new Checkout.Since(first, Set.of()));
        assertThat(two.root()).isEqualTo(one.root());
        assertThat(two.since()).isEqualTo(new Checkout.Since(first, Set.of("b.yaml")));
        assertThat(two.root().resolve("b.yaml")).hasContent("b2");
        assertThat(inode(two.root().resolve("a.yaml"))).isEqualTo(untouched);
        assertThat(workDir.resolve("trees")).doesNotExist();
    }

    @Test
    void aRevisionThatWasNotFetchedIsAClearError() throws Exception {
        upstream.commit("env/dev", "app.yaml", "v1\n");
        fetched("env/dev");
        String later = upstream.commit("env/dev", "app.yaml", "v2\n");
        Revision notFetched = new Revision("env/dev", later);

        assertThatThrownBy(() -> materialiser.tree(remote, notFetched, workDir))
                .isInstanceOf(SourceException.class)
                .hasMessage("revision " + notFetched + " has not been fetched from " + upstream.url()
                        + "; fetch its branch first");
        assertThatThrownBy(() -> materialiser.tree(remote, new Revision("env/dev", "../../etc"), workDir))
                .as("a path is not even a revision").isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid commit id \"../../etc\"");
        try (var trees = Files.list(workDir.resolve("trees"))) {
            assertThat(trees).isEmpty();
        }
    }

    @Test
    void refusesATreeWhosePathsWouldLeaveTheDirectory() throws Exception {
        upstream.commitUnsafeTree("env/dev", "..");

        assertThatThrownBy(() -> materialiser.tree(remote, fetched("env/dev"), workDir))
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

        assertThatThrownBy(() -> materialiser.tree(remote, fetched("env/dev"), workDir))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("holds an unsafe path: .GIT/evil.yaml");
    }

    @Test
    void refusesToKeepNoTrees() {
        assertThatThrownBy(() -> new Materialiser(0, mirrors))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid number of trees to keep: 0 (at least 1)");
    }

    private static Object inode(Path file) throws Exception {
        return Files.getAttribute(file, "unix:ino");
    }
}
