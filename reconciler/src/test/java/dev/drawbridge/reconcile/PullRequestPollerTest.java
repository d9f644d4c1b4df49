package dev.drawbridge.reconcile;

import dev.drawbridge.config.ConfigLoader;
import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.source.JGitSource;
import dev.drawbridge.testing.GitFixtures;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.RefUpdate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Pull-request heads found with plain Git are checked against the environment they were cut from. */
class PullRequestPollerTest {

    @TempDir
    Path dir;

    void pullRef(GitFixtures repo, String ref, String sha) throws Exception {
        try (Git git = Git.open(repo.dir().toFile())) {
            RefUpdate update = git.getRepository().updateRef(ref);
            update.setNewObjectId(git.getRepository().resolve(sha));
            update.forceUpdate();
        }
    }

    @Test
    void checksAPromotionRequestsHeadAgainstTheEnvironmentItPromotesTo() throws Exception {
        try (GitFixtures repo = GitFixtures.init(dir.resolve("repo"))) {
            repo.write("app/a.yaml", "v1\n");
            repo.commitAll("v1");
            repo.branch("env/production");
            repo.branch("env/acceptance");
            repo.checkout("env/acceptance");
            repo.write("app/a.yaml", "v2\n");
            String applied = repo.commitAll("v2, applied by acceptance");
            repo.branch(PullRequestPoller.PROMOTION_BRANCH_PREFIX + "production");
            repo.write("app/a.yaml", "v3\n");
            repo.commitAll("v3: acceptance moved on");
            repo.checkout("main");
            pullRef(repo, "refs/pull/7/head", applied);
            Path file = dir.resolve("drawbridge.yaml");
            Files.writeString(file, """
                    git: {url: %s}
                    forge: {type: github, repository: platform/deploy, token-file: token}
                    environments:
                      - {name: acceptance, branch: env/acceptance, path: app}
                      - {name: production, branch: env/production, path: app, promote-from: acceptance, promotion: pull-request}
                    """.formatted(repo.url()));
            DrawbridgeConfig config = new ConfigLoader().load(file);
            List<PullRequestChecks.Request> submitted = new CopyOnWriteArrayList<>();

            new PullRequestPoller(config, new JGitSource(), submitted::add, dir.resolve("work")).poll();

            assertThat(submitted).extracting(r -> r.ref() + " -> " + r.env().name())
                    .containsExactly("refs/pull/7/head -> production");
        }
    }

    @Test
    void checksEachNewHeadAgainstTheEnvironmentItWasCutFromOnce() throws Exception {
        try (GitFixtures repo = GitFixtures.init(dir.resolve("repo"))) {
            repo.write("app/a.yaml", "v1\n");
            repo.commitAll("v1");
            repo.branch("env/production");
            repo.write("app/a.yaml", "v2\n");
            repo.commitAll("v2");
            repo.branch("env/dev");
            // PR 1 cut from production, PR 2 cut from dev (on branches of their own)
            repo.checkout("env/production");
            repo.branch("pr1");
            repo.checkout("pr1");
            repo.write("app/b.yaml", "fix\n");
            String pr1 = repo.commitAll("hotfix for production");
            repo.checkout("env/dev");
            repo.branch("pr2");
            repo.checkout("pr2");
            repo.write("app/c.yaml", "feature\n");
            String pr2 = repo.commitAll("feature for dev");
            repo.checkout("main");
            pullRef(repo, "refs/pull/1/head", pr1);
            pullRef(repo, "refs/pull/2/head", pr2);
            Path file = dir.resolve("drawbridge.yaml");
            Files.writeString(file, """
                    git: {url: %s}
                    forge: {type: git-notes}
                    environments:
                      - {name: dev, branch: env/dev, path: app}
                      - {name: production, branch: env/production, path: app}
                    """.formatted(repo.url()));
            DrawbridgeConfig config = new ConfigLoader().load(file);
            List<PullRequestChecks.Request> submitted = new CopyOnWriteArrayList<>();
            PullRequestPoller poller = new PullRequestPoller(config, new JGitSource(), submitted::add, dir.resolve("work"));

            poller.poll();

            assertThat(submitted).extracting(r -> r.ref() + " -> " + r.env().name())
                    .containsExactlyInAnyOrder("refs/pull/1/head -> production", "refs/pull/2/head -> dev");
            assertThat(submitted).filteredOn(r -> r.ref().equals("refs/pull/1/head"))
                    .extracting(PullRequestChecks.Request::headSha).containsExactly(pr1);

            submitted.clear();
            poller.poll();
            assertThat(submitted).as("an unchanged head is not checked again").isEmpty();

            repo.checkout("pr1");
            repo.write("app/b.yaml", "fix 2\n");
            String pr1b = repo.commitAll("hotfix, second try");
            repo.checkout("main");
            pullRef(repo, "refs/pull/1/head", pr1b);
            poller.poll();
            assertThat(submitted).extracting(r -> r.ref() + " " + r.headSha() + " -> " + r.env().name())
                    .containsExactly("refs/pull/1/head " + pr1b + " -> production");
        }
    }

    @Test
    void aCheckRefusedBecauseTheQueueIsFullIsSubmittedAgainAtTheNextPoll() throws Exception {
        try (GitFixtures repo = GitFixtures.init(dir.resolve("repo"))) {
            repo.write("app/a.yaml", "v1\n");
            repo.commitAll("v1");
            repo.branch("env/production");
            repo.branch("pr1");
            repo.checkout("pr1");
            repo.write("app/b.yaml", "fix\n");
            String pr1 = repo.commitAll("hotfix");
            repo.checkout("main");
            pullRef(repo, "refs/pull/1/head", pr1);
            Path file = dir.resolve("drawbridge.yaml");
            Files.writeString(file, """
                    git: {url: %s}
                    forge: {type: git-notes}
                    environments:
                      - {name: production, branch: env/production, path: app}
                    """.formatted(repo.url()));
            DrawbridgeConfig config = new ConfigLoader().load(file);
            List<PullRequestChecks.Request> offered = new CopyOnWriteArrayList<>();
            java.util.concurrent.atomic.AtomicBoolean full = new java.util.concurrent.atomic.AtomicBoolean(true);
            PullRequestPoller poller = new PullRequestPoller(config, new JGitSource(), request -> {
                offered.add(request);
                return !full.get();
            }, dir.resolve("work"));

            poller.poll();
            full.set(false);
            poller.poll();
            poller.poll();

            assertThat(offered).extracting(PullRequestChecks.Request::headSha).as("refused once, queued at the next poll, then seen")
                    .containsExactly(pr1, pr1);
        }
    }
}
