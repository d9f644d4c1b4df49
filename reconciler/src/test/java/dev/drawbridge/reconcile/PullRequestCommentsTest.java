package dev.drawbridge.reconcile;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.drawbridge.apply.KubernetesApplier;
import dev.drawbridge.apply.testing.ApplyingMockServer;
import dev.drawbridge.config.ConfigLoader;
import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.decision.DecisionRecord;
import dev.drawbridge.decision.DecisionStore;
import dev.drawbridge.testing.GitFixtures;
import dev.drawbridge.testing.HarborStandIn;
import dev.drawbridge.values.EnvironmentName;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.RefUpdate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pull-request check path end to end with a real Git repository, a Harbor stand-in, the cluster stand-in
 * and GitHub stubbed at its exact paths: the verdict as one comment edited in place over two heads, with what
 * merging would change (a preview that writes nothing), an {@code error} status when a check throws, and no
 * comment request at all with {@code forge.comments: false}.
 */
class PullRequestCommentsTest {

    static final String IMAGE = "harbor.example.com/prod/shop/api:1.4.2";
    static final String COMMENTS = "/repos/platform/deploy/issues/7/comments";
    static final String POLICY = """
            apiVersion: drawbridge.dev/v1alpha1
            kind: GatePolicy
            metadata: {name: production}
            spec:
              mode: enforce
              registries:
                allow: ["harbor.example.com/prod/**"]
              scan:
                required: true
                maxAge: 7d
                blockSeverities: [CRITICAL, HIGH]
            """;
    static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api, namespace: shop}
            spec:
              selector: {matchLabels: {app: api}}
              template:
                metadata: {labels: {app: api}}
                spec:
                  containers: [{name: api, image: "%s"}]
            """;

    @TempDir
    Path dir;
    GitFixtures repo;
    HarborStandIn registry;
    WireMockServer github;
    ApplyingMockServer cluster;
    final AtomicInteger finished = new AtomicInteger();

    @BeforeEach
    void start() {
        registry = HarborStandIn.start();
        registry.push("prod/shop/api", "1.4.2", Instant.now().minus(Duration.ofDays(3)), "Success", Instant.now().minusSeconds(600));
        repo = GitFixtures.init(dir.resolve("repo"));
        repo.write("policies/production.yaml", POLICY);
        repo.write("app/kustomization.yaml", "resources: [deployment.yaml]\n");
        repo.write("app/deployment.yaml", DEPLOYMENT.formatted(IMAGE));
        repo.commitAll("initial");
        repo.branch("env/production");
        github = new WireMockServer(com.github.tomakehurst.wiremock.core.WireMockConfiguration.options().dynamicPort());
        github.start();
        github.stubFor(post(urlPathMatching("/repos/platform/deploy/statuses/.*")).willReturn(aResponse().withStatus(201)));
        github.stubFor(get(urlPathMatching("/repos/platform/deploy/commits/.*/statuses")).willReturn(aResponse().withBody("[]")));
        github.stubFor(get(urlPathEqualTo(COMMENTS)).willReturn(aResponse().withBody("[{\"id\": 3, \"body\": \"LGTM\"}]")));
        github.stubFor(post(urlEqualTo(COMMENTS)).willReturn(aResponse().withStatus(201).withBody("{\"id\": 901}")));
        github.stubFor(patch(urlEqualTo("/repos/platform/deploy/issues/comments/901")).willReturn(aResponse().withBody("{\"id\": 901}")));
        cluster = ApplyingMockServer.start();
    }

    @AfterEach
    void stop() {
        cluster.close();
        github.stop();
        registry.close();
        repo.close();
    }

    /** A pull request #7 cut from env/production with {@code image} in its deployment; its head sha. */
    String pullRequest(String image) throws Exception {
        repo.checkout("env/production");
        repo.write("app/deployment.yaml", DEPLOYMENT.formatted(image));
        String head = repo.commitAll("pull request head " + image);
        repo.checkout("main");
        try (Git git = Git.open(repo.dir().toFile())) {
            RefUpdate pr = git.getRepository().updateRef("refs/pull/7/head");
            pr.setNewObjectId(git.getRepository().resolve(head));
            pr.forceUpdate();
            RefUpdate base = git.getRepository().updateRef("refs/heads/env/production");
            base.setNewObjectId(git.getRepository().resolve(head + "~1"));
            base.forceUpdate(); // the environment branch stays where it was: only the pull request has the head
        }
        return head;
    }

    DrawbridgeConfig config(String forgeExtra) throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "ghp_comment_token\n");
        Path file = dir.resolve("drawbridge.yaml");
        Files.writeString(file, """
                git: {url: %s}
                registries:
                  - {host: harbor.example.com, type: harbor, url: %s, insecure: true, timeout: 30s}
                forge:
                  type: github
                  api-url: %s
                  repository: platform/deploy
                  token-file: %s
                %s
                dashboard-url: https://drawbridge.example.com
                environments:
                  - {name: production, branch: env/production, path: app}
                """.formatted(repo.url(), registry.url(), github.baseUrl(), token, forgeExtra));
        return new ConfigLoader().load(file);
    }

    /** Decision records: production runs revision {@code applied}. */
    static DecisionStores stores(String applied) {
        DecisionStore store = new DecisionStore() {
            @Override
            public void record(DecisionRecord record) {
            }

            @Override
            public Set<String> appliedPassDigests(EnvironmentName environment) {
                return Set.of();
            }

            @Override
            public Optional<DecisionRecord> latest(EnvironmentName environment) {
                return latestApplied(environment);
            }

            @Override
            public Optional<DecisionRecord> latestApplied(EnvironmentName environment) {
                return Optional.of(new DecisionRecord(environment, applied, "f".repeat(40), DecisionRecord.PASS,
                        Instant.now(), List.of(), true, null, "passed"));
            }
        };
        return env -> store;
    }

    PullRequestChecks checks(DrawbridgeConfig config, Stages stages, CommitStatuses statuses, PullRequestComments comments) {
        return new PullRequestChecks(config, stages, stores(repo.head("env/production")), statuses, comments,
                env -> new KubernetesApplier(cluster.client()), dir.resolve("work"), (request, report) -> finished.incrementAndGet());
    }

    void check(PullRequestChecks checks, DrawbridgeConfig config, String head, CommitStatuses statuses,
               PullRequestComments comments) {
        EnvironmentConfig production = config.environment(EnvironmentName.of("production")).orElseThrow();
        int before = finished.get();
        assertThat(checks.submit(new PullRequestChecks.Request(production, "refs/pull/7/head", head))).isTrue();
        // a check ends with its listener told (after its comment is queued), or with an error status
        await().atMost(Duration.ofSeconds(60)).until(() -> finished.get() > before || github.findAll(postRequestedFor(
                urlEqualTo("/repos/platform/deploy/statuses/" + head))).stream().anyMatch(r -> r.getBodyAsString().contains("\"error\"")));
        assertThat(comments.flush(Duration.ofSeconds(30))).isTrue();
        assertThat(statuses.flush(Duration.ofSeconds(30))).isTrue();
    }

    @Test
    void theVerdictIsOneCommentEditedInPlaceAtEachNewHeadWithWhatTheMergeWouldChange() throws Exception {
        DrawbridgeConfig config = config("");
        Stages stages = Engines.stages(config, Clock.systemUTC());
        try (CommitStatuses statuses = CommitStatuses.fromConfig(config, dir.resolve("notes"));
             PullRequestComments comments = PullRequestComments.fromConfig(config);
             PullRequestChecks checks = checks(config, stages, statuses, comments)) {
            String blocked = pullRequest("docker.io/library/nginx:1.27");
            check(checks, config, blocked, statuses, comments);

            List<LoggedRequest> created = github.findAll(postRequestedFor(urlEqualTo(COMMENTS)));
            assertThat(created).hasSize(1);
            String body = created.get(0).getBodyAsString();
            assertThat(body).startsWith("{\"body\":\"<!-- drawbridge:production -->")
                    .contains("Drawbridge: production", "Decision: BLOCK", "docker.io/library/nginx:1.27",
                            "registry.allowed", "fix:", "What the merge would change in production",
                            "1 created, 0 configured, 0 pruned, 0 unchanged", "Deployment/shop/api",
                            "server-side dry run",
                            "https://drawbridge.example.com/environments/production/decisions/" + repo.head("env/production"))
                    .doesNotContain("ghp_comment_token");
            assertThat(cluster.writes()).as("a preview writes nothing: dry runs only").allMatch(c -> c.isDryRun());
            assertThat(cluster.writes()).anyMatch(c -> c.isApply() && c.isDryRun());

            String passing = pullRequest(IMAGE);
            check(checks, config, passing, statuses, comments);

            assertThat(github.findAll(postRequestedFor(urlEqualTo(COMMENTS)))).as("never a second comment").hasSize(1);
            List<LoggedRequest> edited = github.findAll(patchRequestedFor(urlEqualTo("/repos/platform/deploy/issues/comments/901")));
            assertThat(edited).hasSize(1);
            assertThat(edited.get(0).getBodyAsString()).contains("Decision: PASS", IMAGE.replace(":1.4.2", ""), "sha256:");
        }
    }

    @Test
    void aCheckThatThrowsEndsWithAnErrorStatusNamingWhy() throws Exception {
        DrawbridgeConfig config = config("");
        Stages real = Engines.stages(config, Clock.systemUTC());
        Stages broken = new Stages(real.source(), (checkout, path) -> {
            throw new IllegalStateException("the renderer crashed");
        }, real.inspector(), real.lookup(), real.clock());
        try (CommitStatuses statuses = CommitStatuses.fromConfig(config, dir.resolve("notes"));
             PullRequestComments comments = PullRequestComments.fromConfig(config);
             PullRequestChecks checks = checks(config, broken, statuses, comments)) {
            String head = pullRequest(IMAGE);
            check(checks, config, head, statuses, comments);

            List<LoggedRequest> posted = github.findAll(postRequestedFor(urlEqualTo("/repos/platform/deploy/statuses/" + head)));
            assertThat(posted.get(posted.size() - 1).getBodyAsString())
                    .contains("\"state\":\"error\"", "the renderer crashed");
        }
    }

    @Test
    void withCommentsOffNoCommentRequestIsMade() throws Exception {
        DrawbridgeConfig config = config("  comments: false");
        assertThat(config.forge().comments()).isFalse();
        Stages stages = Engines.stages(config, Clock.systemUTC());
        try (CommitStatuses statuses = CommitStatuses.fromConfig(config, dir.resolve("notes"));
             PullRequestComments comments = PullRequestComments.fromConfig(config);
             PullRequestChecks checks = checks(config, stages, statuses, comments)) {
            String head = pullRequest("docker.io/library/nginx:1.27");
            check(checks, config, head, statuses, comments);

            assertThat(github.findAll(anyRequestedFor(anyUrl()))).extracting(LoggedRequest::getUrl)
                    .isNotEmpty().noneMatch(url -> url.contains("/issues/"));
        }
    }
}
