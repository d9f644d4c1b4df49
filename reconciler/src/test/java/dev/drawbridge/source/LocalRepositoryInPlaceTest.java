package dev.drawbridge.source;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A repository on this machine is read in place: no mirror, same results as through the transport. */
class LocalRepositoryInPlaceTest {

    @TempDir
    Path temp;

    Upstream upstream;
    Path workDir;
    JGitSource source = new JGitSource();

    @BeforeEach
    void createUpstream() throws Exception {
        upstream = Upstream.create(temp.resolve("upstream"));
        workDir = temp.resolve("work");
    }

    @AfterEach
    void close() {
        upstream.close();
    }

    @Test
    void readsAFileUrlInPlaceWithoutAMirror() throws Exception {
        String dev = upstream.commit("env/dev", "overlays/dev/kustomization.yaml", "dev\n");

        Checkout checkout = source.checkout(GitRemote.of(upstream.url()), "env/dev", workDir);

        assertThat(checkout.revision()).isEqualTo(new Revision("env/dev", dev));
        assertThat(checkout.root().resolve("overlays/dev/kustomization.yaml")).hasContent("dev");
        assertThat(workDir.resolve("repos")).doesNotExist();
    }

    @Test
    void readsAnAbsolutePathInPlace() throws Exception {
        String dev = upstream.commit("env/dev", "app.yaml", "v1\n");
        Checkout checkout = source.checkout(GitRemote.of(temp.resolve("upstream").toString()), "env/dev", workDir);
        assertThat(checkout.revision().sha()).isEqualTo(dev);
    }

    @Test
    void seesNewCommitsAndForcePushes() throws Exception {
        GitRemote remote = GitRemote.of(upstream.url());
        upstream.commit("env/dev", "app.yaml", "v1\n");
        source.fetch(remote, "env/dev", workDir);
        String v2 = upstream.commit("env/dev", "app.yaml", "v2\n");

        BranchFetch forward = source.fetch(remote, "env/dev", workDir);
        assertThat(forward.revision().sha()).isEqualTo(v2);
        assertThat(forward.changed()).isTrue();
        assertThat(forward.forcePushed()).isFalse();

        upstream.forcePush("env/dev", "app.yaml", "rewritten\n");
        assertThat(source.fetch(remote, "env/dev", workDir).forcePushed()).isTrue();
    }

    @Test
    void readsOneFileOfARevisionWithoutMaterialisingIt() throws Exception {
        upstream.commit("main", "policies/production.yaml", "kind: GatePolicy\n");
        GitRemote remote = GitRemote.of(upstream.url());
        Revision main = source.resolve(remote, "main", workDir);

        assertThat(source.readFile(remote, main, "policies/production.yaml", 1024, workDir))
                .hasValueSatisfying(b -> assertThat(new String(b)).isEqualTo("kind: GatePolicy\n"));
        assertThat(source.readFile(remote, main, "policies/dev.yaml", 1024, workDir)).isEmpty();
        assertThat(source.readFile(remote, main, "policies", 1024, workDir)).as("a directory").isEmpty();
        assertThatThrownBy(() -> source.readFile(remote, main, "policies/production.yaml", 4, workDir))
                .isInstanceOf(SourceException.class).hasMessageContaining("larger than 4 bytes");
        assertThat(workDir.resolve("trees")).doesNotExist();
    }

    @Test
    void aMissingBranchIsAClearError() throws Exception {
        upstream.commit("env/dev", "app.yaml", "v1\n");
        assertThatThrownBy(() -> source.checkout(GitRemote.of(upstream.url()), "env/missing", workDir))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("env/missing does not exist");
    }
}
