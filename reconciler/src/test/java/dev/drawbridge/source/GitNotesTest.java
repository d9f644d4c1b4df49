package dev.drawbridge.source;

import dev.drawbridge.testing.GitFixtures;
import dev.drawbridge.testing.SshGitServer;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Notes on commits of a real bare repository, checked with the git CLI. */
class GitNotesTest {

    @TempDir
    Path tmp;

    Path bare;
    String sha;

    @BeforeEach
    void createBareRepositoryWithACommitOnEnvDev() throws Exception {
        try (GitFixtures work = GitFixtures.init(tmp.resolve("work"))) {
            work.write("manifests/app.yaml", "kind: ConfigMap\n");
            sha = work.commitAll("first");
            work.branch("env/dev");
            bare = tmp.resolve("deploy.git");
            Git.cloneRepository().setURI(work.url()).setDirectory(bare.toFile()).setBare(true).call().close();
        }
    }

    @Test
    void writesANoteThatPlainGitCanRead() throws Exception {
        try (GitNotes notes = new GitNotes(bare.toUri().toString(), null, null, tmp.resolve("notes"))) {
            notes.update(sha, old -> "drawbridge/dev success: passed\nhttps://d.example.com/x\n");
        }

        assertThat(gitNotesShow(sha)).isEqualTo("drawbridge/dev success: passed\nhttps://d.example.com/x\n");
    }

    @Test
    void editsTheCurrentNoteAndReadsItBack() throws Exception {
        try (GitNotes notes = new GitNotes(bare.toUri().toString(), null, null, tmp.resolve("notes"))) {
            notes.update(sha, old -> "first\n");
            notes.update(sha, old -> old + "second\n");

            assertThat(notes.read(sha)).contains("first\nsecond\n");
        }
        assertThat(gitNotesShow(sha)).isEqualTo("first\nsecond\n");
    }

    @Test
    void seesNotesWrittenByAnotherWriter() throws Exception {
        try (GitNotes one = new GitNotes(bare.toUri().toString(), null, null, tmp.resolve("one"));
             GitNotes two = new GitNotes(bare.toUri().toString(), null, null, tmp.resolve("two"))) {
            one.update(sha, old -> "from one\n");
            two.update(sha, old -> old + "from two\n");
        }
        assertThat(gitNotesShow(sha)).isEqualTo("from one\nfrom two\n");
    }

    @Test
    void refetchesAndEditsAgainWhenThePushIsNotFastForward() throws Exception {
        AtomicInteger edits = new AtomicInteger();
        try (GitNotes one = new GitNotes(bare.toUri().toString(), null, null, tmp.resolve("one"));
             GitNotes two = new GitNotes(bare.toUri().toString(), null, null, tmp.resolve("two"))) {
            two.update(sha, old -> {
                if (edits.incrementAndGet() == 1) {
                    try {
                        one.update(sha, o -> "drawbridge/dev success: from one\n"); // lands between fetch and push
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
                return (old == null ? "" : old) + "drawbridge/production failure: from two\n";
            });
        }

        assertThat(edits).hasValue(2);
        assertThat(gitNotesShow(sha)).isEqualTo("drawbridge/dev success: from one\ndrawbridge/production failure: from two\n");
    }

    @Test
    void pushesNothingWhenTheEditChangesNothing() throws Exception {
        try (GitNotes notes = new GitNotes(bare.toUri().toString(), null, null, tmp.resolve("notes"))) {
            notes.update(sha, old -> "same\n");
            String before = refOf("refs/notes/drawbridge");
            notes.update(sha, old -> old);
            assertThat(refOf("refs/notes/drawbridge")).isEqualTo(before);
        }
    }

    @Test
    void keepsThePasswordOutOfErrorMessages() {
        String secret = "s3cr3t-token-value";
        GitNotes notes = new GitNotes("https://drawbridge:" + secret + "@127.0.0.1:1/deploy.git", "drawbridge",
                () -> secret, tmp.resolve("notes"));

        assertThatThrownBy(() -> notes.update(sha, old -> "x\n"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("127.0.0.1")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret))
                .satisfies(e -> assertThat(String.valueOf(notes)).doesNotContain(secret));
    }

    @Test
    void writesAndReadsNotesOverSshWithTheRemotesKeyAndKnownHosts() throws Exception {
        try (SshGitServer server = SshGitServer.serve(bare)) {
            KeyPair key = SshGitServer.newKeyPair();
            server.authorize(key.getPublic());
            Path keyFile = SshGitServer.writePrivateKey(key, tmp.resolve("ssh/deploy-key"), null);
            Path knownHosts = SshGitServer.writeKnownHosts(tmp.resolve("ssh/known_hosts"), server.knownHostsLine());
            String url = "ssh://127.0.0.1:" + server.port() + "/deploy.git";

            try (GitNotes notes = new GitNotes(new GitRemote(url, SshGitServer.USER, null,
                    new SshSettings(keyFile, null, knownHosts)), tmp.resolve("notes"))) {
                notes.update(sha, old -> "drawbridge/dev success: passed\n");
                assertThat(notes.read(sha)).contains("drawbridge/dev success: passed\n");
            }
            assertThat(gitNotesShow(sha)).isEqualTo("drawbridge/dev success: passed\n");

            Files.writeString(knownHosts, "");
            try (GitNotes notes = new GitNotes(new GitRemote(url, SshGitServer.USER, null,
                    new SshSettings(keyFile, null, knownHosts)), tmp.resolve("notes"))) {
                assertThatThrownBy(() -> notes.update(sha, old -> "x\n"))
                        .isInstanceOf(IOException.class)
                        .hasMessageStartingWith("cannot fetch refs/notes/drawbridge from " + url
                                + ": host key verification failed: [127.0.0.1]:" + server.port()
                                + " is not in the known_hosts file " + knownHosts);
            }
        }
    }

    @Test
    void refusesAnAbbreviatedSha() {
        GitNotes notes = new GitNotes(bare.toUri().toString(), null, null, tmp.resolve("notes"));
        assertThatThrownBy(() -> notes.update("abc1234", old -> "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("abc1234");
    }

    private String gitNotesShow(String commit) throws Exception {
        return git("notes", "--ref=drawbridge", "show", commit);
    }

    private String refOf(String ref) throws Exception {
        return git("rev-parse", ref).strip();
    }

    private String git(String... args) throws Exception {
        String[] command = new String[args.length + 2];
        command[0] = "git";
        command[1] = "--git-dir=" + bare;
        System.arraycopy(args, 0, command, 2, args.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("git %s: %s", String.join(" ", args), out).isZero();
        return out;
    }
}
