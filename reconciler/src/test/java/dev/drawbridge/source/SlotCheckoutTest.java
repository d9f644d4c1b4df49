package dev.drawbridge.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slot (one tree per environment, updated in place from one revision to the next) must hold exactly the
 * tree a fresh materialisation of the same revision holds, whatever changed between the two revisions.
 */
class SlotCheckoutTest {

    static final String SLOT = "environment/dev";

    @TempDir
    Path temp;

    Upstream upstream;
    GitRemote remote;
    Path workDir;
    JGitSource source = new JGitSource(Duration.ofSeconds(5), 3, false); // through the mirror, as for network remotes
    JGitSource reference = new JGitSource(Duration.ofSeconds(5), 100, true);

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
    void aNewCommitRewritesOnlyTheChangedFilesOfTheSlotAndSaysWhichTheyWere() throws Exception {
        upstream.switchTo("env/dev");
        upstream.write("base/a.yaml", "a1\n");
        upstream.write("base/b.yaml", "b1\n");
        upstream.write("scripts/run.sh", "#!/bin/sh\n");
        upstream.makeExecutable("scripts/run.sh");
        upstream.symlink("overlays/dev/app.yaml", "../../base/a.yaml");
        String first = upstream.commitAll("first");

        Checkout one = source.checkout(remote, "env/dev", workDir, SLOT);

        assertThat(one.revision()).isEqualTo(new Revision("env/dev", first));
        assertThat(one.root().getParent()).isEqualTo(workDir.resolve("slots"));
        assertThat(one.since()).as("nothing held before").isNull();
        assertSameAsFresh(one);
        Object a = inode(one.root().resolve("base/a.yaml"));
        Object run = inode(one.root().resolve("scripts/run.sh"));

        String second = upstream.commit("env/dev", "base/b.yaml", "b2\n");
        Checkout two = source.checkout(remote, "env/dev", workDir, SLOT);

        assertThat(two.root()).isEqualTo(one.root());
        assertThat(two.revision().sha()).isEqualTo(second);
        assertThat(two.since()).isEqualTo(new Checkout.Since(first, Set.of("base/b.yaml")));
        assertSameAsFresh(two);
        assertThat(inode(two.root().resolve("base/a.yaml"))).as("not touched").isEqualTo(a);
        assertThat(inode(two.root().resolve("scripts/run.sh"))).as("not touched").isEqualTo(run);
        assertThat(two.root().resolve("base/b.yaml")).hasContent("b2");

        Checkout again = source.checkout(remote, "env/dev", workDir, SLOT);
        assertThat(again.since()).isEqualTo(new Checkout.Since(second, Set.of()));
        assertSameAsFresh(again);
        assertThat(workDir.resolve("trees")).as("no tree per revision").doesNotExist();
    }

    @Test
    void theMarkerOfAnUpdateInPlaceIsTheOneAFullReadWouldWriteSoEveryEditByHandIsStillSeen() throws Exception {
        upstream.switchTo("env/dev");
        upstream.write("base/a.yaml", "a1\n");
        upstream.write("base/b.yaml", "b1\n");
        upstream.write("overlays/dev/kustomization.yaml", "resources: [../../base/a.yaml]\n");
        upstream.commitAll("first");
        source.checkout(remote, "env/dev", workDir, SLOT);
        String second = upstream.commit("env/dev", "base/b.yaml", "b2, longer\n");
        Checkout two = source.checkout(remote, "env/dev", workDir, SLOT);
        assertThat(two.since()).as("updated in place").isNotNull();

        // only base/b.yaml was read again for the marker: it is still the marker a read of every path writes
        Path marker = markerOf(two.root());
        Path full = temp.resolve("full.sha");
        SlotMarker.write(full, two.root(), second);
        assertThat(marker).hasSameTextualContentAs(full);

        // an edit by hand of a file the update did not touch, and of the one it did: each is seen, and undone
        for (String edited : new String[] {"base/a.yaml", "base/b.yaml"}) {
            Files.writeString(two.root().resolve(edited), "edited by hand, a different size\n");
            Checkout next = source.checkout(remote, "env/dev", workDir, SLOT);
            assertThat(next.since()).as(edited + ": written whole").isNull();
            assertSameAsFresh(next);
        }
    }

    @Test
    void theFilesOfASlotThisProcessLeftAreCheckedWhileTheNextRevisionIsReadAndAnEditByHandIsReported() throws Exception {
        upstream.switchTo("env/dev");
        upstream.write("base/a.yaml", "a1\n");
        upstream.write("base/b.yaml", "b1\n");
        upstream.commitAll("first");
        assertThat(source.checkout(remote, "env/dev", workDir, SLOT).intact()).isTrue();
        upstream.commit("env/dev", "base/b.yaml", "b2\n");
        Checkout two = source.checkout(remote, "env/dev", workDir, SLOT);
        assertThat(two.since()).as("updated in place").isNotNull();
        assertThat(two.intact()).as("nothing edited").isTrue();

        Files.writeString(two.root().resolve("base/a.yaml"), "edited by hand, a different size\n");
        upstream.commit("env/dev", "base/b.yaml", "b3\n");
        Checkout three = source.checkout(remote, "env/dev", workDir, SLOT);
        assertThat(three.since()).as("updated in place, the edit found afterwards").isNotNull();
        assertThat(three.intact()).as("the edit is reported").isFalse();
        assertThat(markerOf(three.root())).as("so that the next use writes it whole").doesNotExist();

        Checkout again = source.checkout(remote, "env/dev", workDir, SLOT);
        assertThat(again.since()).as("written whole").isNull();
        assertThat(again.intact()).isTrue();
        assertSameAsFresh(again);
    }

    @Test
    void aSlotThisProcessDidNotWriteIsCheckedBeforeItIsUpdated() throws Exception {
        upstream.switchTo("env/dev");
        upstream.write("base/a.yaml", "a1\n");
        upstream.commitAll("first");
        source.checkout(remote, "env/dev", workDir, SLOT);
        Path root = workDir.resolve("slots");
        JGitSource restarted = new JGitSource(Duration.ofSeconds(5), 3, false); // a new process: it knows no slot
        try (Stream<Path> files = Files.list(root)) {
            Path slot = files.filter(Files::isDirectory).findFirst().orElseThrow();
            Files.writeString(slot.resolve("base/a.yaml"), "edited by hand, a different size\n");
        }
        upstream.commit("env/dev", "base/b.yaml", "b2\n");

        Checkout next = restarted.checkout(remote, "env/dev", workDir, SLOT);

        assertThat(next.since()).as("checked first, so written whole").isNull();
        assertThat(next.intact()).isTrue();
        assertSameAsFresh(next);
    }

    private static Path markerOf(Path slot) {
        return slot.resolveSibling(slot.getFileName() + ".sha");
    }

    @Test
    void everyChangeOfLayoutIsWrittenExactlyAndIsNotReportedAsContentOnly() throws Exception {
        upstream.switchTo("env/dev");
        upstream.write("old/gone.yaml", "gone\n");
        upstream.write("base/a.yaml", "a1\n");
        upstream.write("x", "x is a file\n");
        upstream.write("scripts/run.sh", "#!/bin/sh\n");
        upstream.symlink("link.yaml", "base/a.yaml");
        upstream.commitAll("first");
        source.checkout(remote, "env/dev", workDir, SLOT);

        // a file removed (its directory left empty), files added deep down
        upstream.git.rm().addFilepattern("old/gone.yaml").call();
        upstream.write("new/deep/c.yaml", "c\n");
        upstream.commitAll("removed and added");
        expectLayoutChange();
        assertThat(slot().resolve("old")).as("a directory left empty").doesNotExist();

        // a symlink retargeted
        upstream.write("base/b.yaml", "b\n");
        Files.delete(upstream.dir.resolve("link.yaml"));
        upstream.symlink("link.yaml", "base/b.yaml");
        upstream.commitAll("retargeted");
        expectLayoutChange();
        assertThat(Files.readSymbolicLink(slot().resolve("link.yaml"))).isEqualTo(Path.of("base/b.yaml"));

        // the same content made executable
        upstream.makeExecutable("scripts/run.sh");
        upstream.commitAll("executable");
        expectLayoutChange();
        assertThat(Files.getPosixFilePermissions(slot().resolve("scripts/run.sh"))).contains(PosixFilePermission.OWNER_EXECUTE);

        // a file becomes a directory, then a directory becomes a file
        upstream.git.rm().addFilepattern("x").call();
        upstream.write("x/y.yaml", "y\n");
        upstream.commitAll("x is a directory");
        expectLayoutChange();
        assertThat(slot().resolve("x/y.yaml")).hasContent("y");

        upstream.git.rm().addFilepattern("x/y.yaml").call();
        upstream.write("x", "x is a file again\n");
        upstream.commitAll("x is a file");
        expectLayoutChange();
        assertThat(slot().resolve("x")).hasContent("x is a file again");

        // a file replaced by a symlink of the same name
        upstream.git.rm().addFilepattern("base/a.yaml").call();
        upstream.symlink("base/a.yaml", "b.yaml");
        upstream.commitAll("a is a link");
        expectLayoutChange();
        assertThat(Files.isSymbolicLink(slot().resolve("base/a.yaml"))).isTrue();
    }

    @Test
    void aSlotLeftHalfWrittenIsWrittenWholeAtItsNextUse() throws Exception {
        upstream.commit("env/dev", "app.yaml", "v1\n");
        Checkout one = source.checkout(remote, "env/dev", workDir, SLOT);
        // as a crash in the middle of an update leaves it: the marker gone, the tree neither one nor the other
        try (Stream<Path> markers = Files.list(workDir.resolve("slots"))) {
            for (Path marker : markers.filter(p -> p.toString().endsWith(".sha")).toList()) {
                Files.delete(marker);
            }
        }
        Files.writeString(one.root().resolve("stray.yaml"), "left by the crash\n");
        Files.delete(one.root().resolve("README.md"));

        upstream.commit("env/dev", "app.yaml", "v2\n");
        Checkout two = source.checkout(remote, "env/dev", workDir, SLOT);

        assertThat(two.since()).isNull();
        assertSameAsFresh(two);
        assertThat(two.root().resolve("stray.yaml")).doesNotExist();
    }

    @Test
    void eachSlotHoldsItsOwnBranch() throws Exception {
        upstream.commit("env/dev", "app.yaml", "dev\n");
        upstream.commit("env/production", "app.yaml", "production\n");

        Checkout dev = source.checkout(remote, "env/dev", workDir, "environment/dev");
        Checkout production = source.checkout(remote, "env/production", workDir, "environment/production");

        assertThat(dev.root()).isNotEqualTo(production.root());
        assertThat(dev.root().resolve("app.yaml")).hasContent("dev");
        assertThat(production.root().resolve("app.yaml")).hasContent("production");
    }

    @Test
    void anUnsafeRevisionIsRefusedAndTheSlotIsWrittenWholeAfterwards() throws Exception {
        String good = upstream.commit("env/dev", "app.yaml", "v1\n");
        source.checkout(remote, "env/dev", workDir, SLOT);

        upstream.commitUnsafeTree("env/dev", ".git");
        assertThatThrownBy(() -> source.checkout(remote, "env/dev", workDir, SLOT))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("holds an unsafe path: .git/evil.yaml");

        upstream.createRef("refs/heads/env/dev", good);
        Checkout restored = source.checkout(remote, "env/dev", workDir, SLOT);
        assertThat(restored.since()).as("what the refused update left is not trusted").isNull();
        assertSameAsFresh(restored);
        assertThat(restored.root().resolve(".git")).doesNotExist();
    }

    @Test
    void aHeldRevisionWhoseTreesAreGoneIsNotNeededToWriteTheNextOne() throws Exception {
        JGitSource inPlace = new JGitSource(Duration.ofSeconds(5), 3, true); // reads the repository itself
        String first = upstream.commit("env/dev", "base/a.yaml", "a\n");
        inPlace.checkout(remote, "env/dev", workDir, SLOT);
        // the first commit's root tree pruned from the repository, as git gc prunes what nothing reaches
        String tree;
        try (var walk = new org.eclipse.jgit.revwalk.RevWalk(upstream.git.getRepository())) {
            tree = walk.parseCommit(upstream.git.getRepository().resolve(first)).getTree().name();
        }
        Files.delete(upstream.dir.resolve(".git/objects/" + tree.substring(0, 2) + "/" + tree.substring(2)));

        upstream.write("base/b.yaml", "b\n"); // still on env/dev
        upstream.commitAll("b");
        Checkout next = inPlace.checkout(remote, "env/dev", workDir, SLOT);

        assertThat(next.since()).as("written whole").isNull();
        assertSameAsFresh(next);
        assertThat(next.root().resolve("base/b.yaml")).hasContent("b");
    }

    private void expectLayoutChange() throws Exception {
        Checkout checkout = source.checkout(remote, "env/dev", workDir, SLOT);
        assertThat(checkout.revision().sha()).isEqualTo(upstream.git.getRepository().resolve("HEAD").name());
        assertThat(checkout.since()).isNull();
        assertSameAsFresh(checkout);
    }

    private Path slot() throws Exception {
        return source.checkout(remote, "env/dev", workDir, SLOT).root();
    }

    /** The slot holds what a fresh materialisation of the same revision holds: paths, types, modes, contents, link targets. */
    private void assertSameAsFresh(Checkout checkout) throws Exception {
        Checkout fresh = reference.materialise(remote, checkout.revision(), temp.resolve("reference"));
        assertThat(snapshot(checkout.root())).isEqualTo(snapshot(fresh.root())).isNotEmpty();
    }

    private static Map<String, String> snapshot(Path root) throws Exception {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.filter(p -> !p.equals(root)).toList()) {
                String what;
                if (Files.isSymbolicLink(path)) {
                    what = "link -> " + Files.readSymbolicLink(path);
                } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    what = "directory";
                } else {
                    what = (Files.isExecutable(path) ? "executable: " : "file: ") + Files.readString(path);
                }
                entries.put(root.relativize(path).toString(), what);
            }
        }
        return entries;
    }

    private static Object inode(Path file) throws Exception {
        return Files.getAttribute(file, "unix:ino");
    }
}
