package dev.drawbridge.report.forge;

import dev.drawbridge.report.forge.CommitStatus.State;
import dev.drawbridge.source.GitNotes;
import dev.drawbridge.testing.GitFixtures;
import dev.drawbridge.values.CommitId;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** git-notes against a real bare repository, read back with the git CLI. */
class GitNotesStatusReporterTest {

    @TempDir
    Path tmp;

    Path bare;
    String sha;
    String other;
    GitNotes notes;
    StatusReporter reporter;

    @BeforeEach
    void createDeployRepository() throws Exception {
        try (GitFixtures work = GitFixtures.init(tmp.resolve("work"))) {
            work.write("manifests/app.yaml", "kind: ConfigMap\n");
            other = work.commitAll("first");
            work.write("manifests/app.yaml", "kind: ConfigMap\nmetadata: {name: app}\n");
            sha = work.commitAll("second");
            work.branch("env/dev");
            bare = tmp.resolve("deploy.git");
            Git.cloneRepository().setURI(work.url()).setDirectory(bare.toFile()).setBare(true).call().close();
        }
        notes = new GitNotes(bare.toUri().toString(), null, null, tmp.resolve("notes-work"));
        reporter = StatusReporters.gitNotes(notes::update);
    }

    @AfterEach
    void close() {
        notes.close();
    }

    static CommitStatus status(String sha, String env, State state, String description) {
        return new CommitStatus(CommitId.of(sha), "env/" + env, "drawbridge/" + env, state, description,
                "https://drawbridge.example.com/environments/" + env + "/decisions/" + sha);
    }

    @Test
    void writesTheStatusAsANoteOnTheCommit() throws Exception {
        reporter.report(status(sha, "dev", State.SUCCESS, "passed: 3 image(s) verified"));

        assertThat(gitNotesShow(sha)).isEqualTo("""
                drawbridge/dev success: passed: 3 image(s) verified
                https://drawbridge.example.com/environments/dev/decisions/%s
                """.formatted(sha));
        assertThat(git("notes", "--ref=drawbridge", "list").strip()).endsWith(" " + sha);
    }

    @Test
    void keepsTheLinesOfOtherEnvironmentsAndReplacesItsOwn() throws Exception {
        reporter.report(status(sha, "dev", State.PENDING, "verifying"));
        reporter.report(status(sha, "production", State.FAILURE, "blocked: shop/api CVE-2026-1234 CRITICAL (fix 3.0.15)"));
        reporter.report(status(sha, "dev", State.SUCCESS, "passed: 3 image(s) verified"));

        assertThat(gitNotesShow(sha)).isEqualTo("""
                drawbridge/dev success: passed: 3 image(s) verified
                https://drawbridge.example.com/environments/dev/decisions/%1$s
                drawbridge/production failure: blocked: shop/api CVE-2026-1234 CRITICAL (fix 3.0.15)
                https://drawbridge.example.com/environments/production/decisions/%1$s
                """.formatted(sha));
    }

    @Test
    void notesEachCommitSeparately() throws Exception {
        reporter.report(status(sha, "dev", State.SUCCESS, "passed"));
        reporter.report(status(other, "dev", State.ERROR, "error: could not verify"));

        assertThat(gitNotesShow(sha)).startsWith("drawbridge/dev success: passed\n");
        assertThat(gitNotesShow(other)).startsWith("drawbridge/dev error: error: could not verify\n");
    }

    @Test
    void reportsAnUnreachableRepositoryAsRetryable() {
        GitNotes gone = new GitNotes(tmp.resolve("missing.git").toUri().toString(), null, null, tmp.resolve("w2"));
        StatusReporter broken = new GitNotesStatusReporter(gone::update);

        assertThatThrownBy(() -> broken.report(status(sha, "dev", State.SUCCESS, "passed")))
                .isInstanceOfSatisfying(ForgeException.class, e -> {
                    assertThat(e.forge()).isEqualTo("git-notes");
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.getMessage()).contains("drawbridge/dev");
                });
        gone.close();
    }

    @Test
    void mergesWithoutATargetUrlAndKeepsUnknownLines() {
        String note = "written by hand\ndrawbridge/dev pending: verifying\nhttps://x/dev\ndrawbridge/qa success: ok\n";

        String merged = GitNotesStatusReporter.merge(note,
                new CommitStatus(CommitId.of(sha), null, "drawbridge/dev", State.ERROR, "error: timeout", null));

        assertThat(merged).isEqualTo("written by hand\ndrawbridge/dev error: error: timeout\ndrawbridge/qa success: ok\n");
    }

    private String gitNotesShow(String commit) throws IOException, InterruptedException {
        return git("notes", "--ref=drawbridge", "show", commit);
    }

    private String git(String... args) throws IOException, InterruptedException {
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
