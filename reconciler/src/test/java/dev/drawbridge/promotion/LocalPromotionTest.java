package dev.drawbridge.promotion;

import dev.drawbridge.apply.testing.ApplyingMockServer;
import dev.drawbridge.cli.Main;
import dev.drawbridge.decision.DecisionRecord;
import dev.drawbridge.decision.KubernetesDecisionStore;
import dev.drawbridge.values.EnvironmentName;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code drawbridge promote} with a {@code git-notes} forge: the applied revision merged into the target branch and
 * pushed only when the target's gate passes on the merged tree; conflicts and blocks push nothing.
 */
class LocalPromotionTest {

    @TempDir
    Path dir;
    PromotionFixture f;
    ApplyingMockServer acceptance;
    ApplyingMockServer production;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
        if (acceptance != null) {
            acceptance.close();
            production.close();
        }
    }

    /** The fixture with one stand-in cluster per environment; acceptance's decision records are kept in its cluster. */
    void start(boolean vulnerable) throws Exception {
        f = new PromotionFixture(dir, vulnerable);
        acceptance = ApplyingMockServer.start();
        production = ApplyingMockServer.start();
    }

    void acceptanceApplied(String revision) throws Exception {
        new KubernetesDecisionStore(acceptance.client()).record(new DecisionRecord(EnvironmentName.of("acceptance"), revision, "p".repeat(40),
                DecisionRecord.PASS, Instant.now(), List.of(new DecisionRecord.RecordedImage(PromotionFixture.IMAGE,
                f.image.digest().toString(), "PASS")), true, null, "passed"));
    }

    int promote() throws Exception {
        Path file = f.configFile("{type: git-notes}", "pull-request",
                ", cluster: {kubeconfig: \"" + acceptance.writeKubeconfig(dir.resolve("kube-a")) + "\", context: mock}",
                ", cluster: {kubeconfig: \"" + production.writeKubeconfig(dir.resolve("kube-p")) + "\", context: mock}");
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "promote", "--config", file.toString(),
                "--env", "production");
    }

    String fileAt(String sha, String path) throws Exception {
        try (Git git = Git.open(f.repo.dir().toFile()); RevWalk walk = new RevWalk(git.getRepository())) {
            RevCommit commit = walk.parseCommit(ObjectId.fromString(sha));
            try (TreeWalk tree = TreeWalk.forPath(git.getRepository(), path, commit.getTree())) {
                return new String(git.getRepository().open(tree.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    List<String> parents(String sha) throws Exception {
        try (Git git = Git.open(f.repo.dir().toFile()); RevWalk walk = new RevWalk(git.getRepository())) {
            return List.of(walk.parseCommit(ObjectId.fromString(sha)).getParents()).stream().map(ObjectId::name).toList();
        }
    }

    @Test
    void mergesTheAppliedRevisionWhenProductionsGatePassesOnTheMergedTree() throws Exception {
        start(false);
        String applied = f.commit("env/acceptance", "app/config.yaml", PromotionFixture.config("2"));
        f.commit("env/acceptance", "app/config.yaml", PromotionFixture.config("3")); // acceptance's head moved on
        String productionOwn = f.commit("env/production", "app/notes.txt", "production only\n");
        acceptanceApplied(applied);

        int exit = promote();

        assertThat(exit).as(out + "\n" + err).isZero();
        assertThat(out.toString()).contains("promote acceptance -> production: merged",
                "Promote acceptance@" + applied.substring(0, 7) + " to production", "**production's gate:** PASS");
        String head = f.head("env/production");
        assertThat(parents(head)).containsExactly(productionOwn, applied);
        assertThat(fileAt(head, "app/config.yaml")).contains("level: \"2\"");
        assertThat(fileAt(head, "app/notes.txt")).isEqualTo("production only\n");
    }

    @Test
    void aConflictingMergeExitsTwoNamingTheFilesAndPushesNothing() throws Exception {
        start(false);
        String applied = f.commit("env/acceptance", "app/config.yaml", PromotionFixture.config("2"));
        String productionHead = f.commit("env/production", "app/config.yaml", PromotionFixture.config("9"));
        acceptanceApplied(applied);

        int exit = promote();

        assertThat(exit).isEqualTo(2);
        assertThat(out.toString()).contains("conflicts");
        assertThat(err.toString()).contains("conflicts in app/config.yaml", "nothing pushed");
        assertThat(f.head("env/production")).isEqualTo(productionHead);
    }

    @Test
    void aBlockedMergeExitsOneWithTheReasonsAndPushesNothing() throws Exception {
        start(true);
        String applied = f.commit("env/acceptance", "app/config.yaml", PromotionFixture.config("2"));
        acceptanceApplied(applied);

        int exit = promote();

        assertThat(exit).as(out + "\n" + err).isEqualTo(1);
        assertThat(out.toString()).contains("promote acceptance -> production: blocked", "production's gate blocks",
                "nothing pushed", "| `" + PromotionFixture.IMAGE + "` |", "BLOCK: scan.severity CVE-2026-1234");
        assertThat(err.toString()).contains("CVE-2026-1234");
        assertThat(f.head("env/production")).isEqualTo(f.initial);
    }

    @Test
    void nothingToPromoteBeforeTheSourceAppliedAnything() throws Exception {
        start(false);
        f.commit("env/acceptance", "app/config.yaml", PromotionFixture.config("2"));

        int exit = promote();

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("promote acceptance -> production: nothing to promote");
        assertThat(f.head("env/production")).isEqualTo(f.initial);
    }
}
