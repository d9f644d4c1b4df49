package dev.drawbridge.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One file of a fetched revision, read from the mirror without writing the tree ({@link RevisionFiles}). */
class RevisionFilesTest {

    @TempDir
    Path temp;

    Upstream upstream;
    GitRemote remote;
    Path workDir;
    Mirrors mirrors = new Mirrors(false); // the mirror, as for network remotes
    Fetcher fetcher = new Fetcher(Duration.ofSeconds(5), mirrors);
    RevisionFiles files = new RevisionFiles(mirrors);

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
    void readsOneRegularFileOfAFetchedRevisionWithoutWritingTheTree() throws Exception {
        upstream.switchTo("main");
        upstream.write("policies/production.yaml", "kind: GatePolicy\n");
        upstream.write("scripts/check.sh", "#!/bin/sh\n");
        upstream.makeExecutable("scripts/check.sh");
        upstream.symlink("policies/link.yaml", "production.yaml");
        upstream.commitAll("policies");
        Revision main = fetcher.fetch(remote, "main", workDir).revision();

        assertThat(files.read(remote, main, "policies/production.yaml", 1024, workDir))
                .hasValueSatisfying(b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("kind: GatePolicy\n"));
        assertThat(files.read(remote, main, "scripts/check.sh", 1024, workDir)).as("executable").isPresent();
        assertThat(files.read(remote, main, "policies/missing.yaml", 1024, workDir)).isEmpty();
        assertThat(files.read(remote, main, "policies", 1024, workDir)).as("a directory").isEmpty();
        assertThat(files.read(remote, main, "policies/link.yaml", 1024, workDir)).as("a symlink").isEmpty();
        assertThat(workDir.resolve("trees")).doesNotExist();
    }

    @Test
    void aFileLargerThanTheLimitIsAnError() throws Exception {
        upstream.commit("main", "policies/production.yaml", "kind: GatePolicy\n");
        Revision main = fetcher.fetch(remote, "main", workDir).revision();

        assertThat(files.read(remote, main, "policies/production.yaml", 17, workDir)).isPresent();
        assertThatThrownBy(() -> files.read(remote, main, "policies/production.yaml", 16, workDir))
                .isInstanceOf(SourceException.class)
                .hasMessage("policies/production.yaml at " + main + " is larger than 16 bytes");
    }

    @Test
    void aRevisionThatWasNotFetchedOrIsNoShaIsAClearError() throws Exception {
        upstream.commit("main", "a.yaml", "a\n");
        fetcher.fetch(remote, "main", workDir);
        Revision later = new Revision("main", upstream.commit("main", "a.yaml", "b\n"));

        assertThatThrownBy(() -> files.read(remote, later, "a.yaml", 1024, workDir))
                .isInstanceOf(SourceException.class)
                .hasMessage("revision " + later + " has not been fetched from " + upstream.url() + "; fetch its branch first");
        assertThatThrownBy(() -> files.read(remote, new Revision("main", "HEAD"), "a.yaml", 1024, workDir))
                .as("no sha is not even a revision").isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid commit id \"HEAD\"");
    }
}
