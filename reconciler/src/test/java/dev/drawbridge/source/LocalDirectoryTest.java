package dev.drawbridge.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDirectoryTest {

    @TempDir
    Path temp;

    @Test
    void aNestedOverlayOfARepositoryIsSeenFromTheTopOfItsWorkTree() throws Exception {
        try (Upstream repo = Upstream.create(temp.resolve("repo"))) {
            String sha = repo.commit("env/dev", "manifests/overlays/dev/kustomization.yaml", "resources: [../../base]\n");

            LocalTree tree = LocalDirectory.checkout(repo.dir.resolve("manifests/overlays/dev"));

            assertThat(tree.checkout().root()).isEqualTo(repo.dir.toRealPath());
            assertThat(tree.path()).isEqualTo("manifests/overlays/dev");
            assertThat(tree.checkout().revision()).isEqualTo(new Revision("env/dev", sha));
            assertThat(tree.checkout().root().resolve(tree.path()).resolve("kustomization.yaml")).exists();
        }
    }

    @Test
    void theTopOfAWorkTreeIsTheDot() throws Exception {
        try (Upstream repo = Upstream.create(temp.resolve("repo"))) {
            LocalTree tree = LocalDirectory.checkout(repo.dir);

            assertThat(tree.path()).isEqualTo(".");
            assertThat(tree.checkout().revision().branch()).isEqualTo("main");
        }
    }

    @Test
    void aDetachedHeadHasNoBranch() throws Exception {
        try (Upstream repo = Upstream.create(temp.resolve("repo"))) {
            String sha = repo.commit("env/dev", "a.yaml", "a\n");
            repo.git.checkout().setName(sha).call();

            LocalTree tree = LocalDirectory.checkout(repo.dir);

            assertThat(tree.checkout().revision()).isEqualTo(new Revision(null, sha));
        }
    }

    @Test
    void aDirectoryOutsideGitIsItsOwnRootWithoutRevision() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("plain/overlay"));

        LocalTree tree = LocalDirectory.checkout(dir);

        assertThat(tree.checkout().revision()).isNull();
        assertThat(tree.checkout().root()).isEqualTo(dir.toRealPath());
        assertThat(tree.path()).isEqualTo(".");
    }

    @Test
    void aMissingDirectoryIsAClearError() {
        Path missing = temp.resolve("nope");

        assertThatThrownBy(() -> LocalDirectory.checkout(missing))
                .isInstanceOf(SourceException.class)
                .hasMessage(missing + ": no such directory");
    }
}
