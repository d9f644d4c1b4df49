package dev.drawbridge.cli;

import dev.drawbridge.apply.testing.ApplyingMockServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code drawbridge reconcile --once} end to end: Git, a Harbor stand-in, a cluster from a kubeconfig. */
class ReconcileCommandTest {

    @TempDir
    Path dir;

    Path config(CheckFixture f, Path kubeconfig) throws Exception {
        return f.config(Files.readString(f.config()) + "    cluster: {kubeconfig: " + kubeconfig + ", context: mock}\n");
    }

    @Test
    void appliesAPassingEnvironmentAndExitsZeroThenChangesNothing() throws Exception {
        try (CheckFixture f = new CheckFixture(dir); ApplyingMockServer cluster = ApplyingMockServer.start()) {
            Path config = config(f, cluster.writeKubeconfig(dir.resolve("kubeconfig")));

            int first = Main.run(new PrintWriter(f.out, true), new PrintWriter(f.err, true),
                    "reconcile", "--config", config.toString(), "--once");

            assertThat(first).as(f.err.toString()).isZero();
            assertThat(f.out.toString()).contains("production  env/production@", "PASS  applied: 1 created",
                    "Deployment/shop/api created");
            assertThat(cluster.client().apps().deployments().inNamespace("shop").withName("api").get()
                    .getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                    .startsWith("harbor.example.com/prod/shop/api@sha256:");

            cluster.clearRequests();
            int second = Main.run(new PrintWriter(f.out, true), new PrintWriter(f.err, true),
                    "reconcile", "--config", config.toString(), "--env", "production", "--once");
            assertThat(second).isZero();
            assertThat(cluster.writes()).isEmpty();
        }
    }

    @Test
    void aForcePushedBranchExitsTwoUntilTheNewHistoryIsAccepted() throws Exception {
        try (CheckFixture f = new CheckFixture(dir); ApplyingMockServer cluster = ApplyingMockServer.start()) {
            Path config = config(f, cluster.writeKubeconfig(dir.resolve("kubeconfig")));
            f.onBranch("app/extra.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra, namespace: shop}\n");
            f.onBranch("app/kustomization.yaml", CheckFixture.KUSTOMIZATION.replace("- deployment.yaml\n", "- deployment.yaml\n  - extra.yaml\n"));
            assertThat(Main.run(new PrintWriter(f.out, true), new PrintWriter(f.err, true),
                    "reconcile", "--config", config.toString(), "--once")).as(f.err.toString()).isZero();
            f.onMain("app/other.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other, namespace: shop}\n");
            f.onMain("app/kustomization.yaml", CheckFixture.KUSTOMIZATION.replace("- deployment.yaml\n", "- deployment.yaml\n  - other.yaml\n"));
            f.repo.branch("env/production"); // force-pushed: the applied commit is gone from the branch
            cluster.clearRequests();

            int refused = Main.run(new PrintWriter(f.out, true), new PrintWriter(f.err, true),
                    "reconcile", "--config", config.toString(), "--once");

            assertThat(refused).isEqualTo(2);
            assertThat(f.err.toString()).contains("production: FORCE_PUSHED", "branch env/production was force-pushed",
                    "--accept-force-push");
            assertThat(cluster.writes()).as("only the decision record is written")
                    .allMatch(c -> c.path().contains("/decisionrecords"));

            int accepted = Main.run(new PrintWriter(f.out, true), new PrintWriter(f.err, true),
                    "reconcile", "--config", config.toString(), "--once", "--accept-force-push");

            assertThat(accepted).as(f.err.toString()).isZero();
            assertThat(cluster.client().configMaps().inNamespace("shop").withName("other").get()).isNotNull();
            assertThat(cluster.client().configMaps().inNamespace("shop").withName("extra").get()).isNull();
        }
    }

    @Test
    void aBlockedEnvironmentExitsOneAndAppliesNothing() throws Exception {
        try (CheckFixture f = new CheckFixture(dir); ApplyingMockServer cluster = ApplyingMockServer.start()) {
            f.onBranch("app/deployment.yaml", CheckFixture.DEPLOYMENT.formatted("docker.io/library/nginx:1.27"));
            Path config = config(f, cluster.writeKubeconfig(dir.resolve("kubeconfig")));

            int exit = Main.run(new PrintWriter(f.out, true), new PrintWriter(f.err, true),
                    "reconcile", "--config", config.toString(), "--once");

            assertThat(exit).isEqualTo(1);
            assertThat(f.out.toString()).contains("BLOCK", "registry.allowed", "nothing applied");
            assertThat(cluster.writes()).as("only the decision record is written")
                    .allMatch(c -> c.path().contains("/decisionrecords") || c.path().endsWith("/namespaces/drawbridge-system"))
                    .anyMatch(c -> c.path().contains("/decisionrecords"));
        }
    }

    @Test
    void anUnreachableClusterIsAnError() throws Exception {
        try (CheckFixture f = new CheckFixture(dir)) {
            Path kubeconfig = dir.resolve("kubeconfig");
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
                    users: [{name: u, user: {token: t}}]
                    contexts: [{name: mock, context: {cluster: c, user: u}}]
                    current-context: mock
                    """);
            int exit = Main.run(new PrintWriter(f.out, true), new PrintWriter(f.err, true),
                    "reconcile", "--config", config(f, kubeconfig).toString(), "--once");
            assertThat(exit).isEqualTo(2);
            assertThat(f.err.toString()).contains("production: APPLY_FAILED");
        }
    }

    @Test
    void postsPendingThenTheOutcomeAsCommitStatusesOnGitHub() throws Exception {
        com.github.tomakehurst.wiremock.WireMockServer github = new com.github.tomakehurst.wiremock.WireMockServer(
                com.github.tomakehurst.wiremock.core.WireMockConfiguration.options().dynamicPort());
        github.start();
        try (CheckFixture f = new CheckFixture(dir); ApplyingMockServer cluster = ApplyingMockServer.start()) {
            github.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                    com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/repos/platform/deploy/statuses/.*"))
                    .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(201).withBody("{}")));
            Path token = dir.resolve("token");
            Files.writeString(token, "ghp_secret_token_value\n");
            Path config = f.config(Files.readString(config(f, cluster.writeKubeconfig(dir.resolve("kubeconfig"))))
                    + "forge:\n  type: github\n  api-url: http://127.0.0.1:" + github.port() + "\n"
                    + "  repository: platform/deploy\n  token-file: " + token + "\n"
                    + "dashboard-url: https://drawbridge.example.com\n");

            int exit = Main.run(new PrintWriter(f.out, true), new PrintWriter(f.err, true),
                    "reconcile", "--config", config.toString(), "--once");

            assertThat(exit).as(f.err.toString()).isZero();
            String sha = f.repo.head("env/production");
            var posts = github.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                    com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/repos/platform/deploy/statuses/" + sha)));
            // pending goes out while the images are verified; were it still queued when the outcome comes, the
            // outcome supersedes it (AsyncReporter), so the last status is the outcome either way
            assertThat(posts).isNotEmpty().hasSizeLessThanOrEqualTo(2);
            assertThat(posts.get(posts.size() - 1).getBodyAsString()).contains("\"state\":\"success\"",
                    "\"context\":\"drawbridge/production\"",
                    "https://drawbridge.example.com/environments/production/decisions/" + sha);
            if (posts.size() == 2) {
                assertThat(posts.get(0).getBodyAsString()).contains("\"state\":\"pending\"");
            }
            assertThat(posts.get(0).getHeader("Authorization")).isEqualTo("Bearer ghp_secret_token_value");
            assertThat(f.out.toString() + f.err).doesNotContain("ghp_secret_token_value");
        } finally {
            github.stop();
        }
    }

    @Test
    void aFailingForgeDoesNotChangeTheDecision() throws Exception {
        com.github.tomakehurst.wiremock.WireMockServer github = new com.github.tomakehurst.wiremock.WireMockServer(
                com.github.tomakehurst.wiremock.core.WireMockConfiguration.options().dynamicPort());
        github.start();
        try (CheckFixture f = new CheckFixture(dir); ApplyingMockServer cluster = ApplyingMockServer.start()) {
            // 403 without rate-limit headers: refused for good, not retried
            github.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                    com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/repos/platform/deploy/statuses/.*"))
                    .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(403)
                            .withBody("{\"message\":\"Resource not accessible by integration\"}")));
            Path token = dir.resolve("token");
            Files.writeString(token, "ghp_secret_token_value\n");
            Path config = f.config(Files.readString(config(f, cluster.writeKubeconfig(dir.resolve("kubeconfig"))))
                    + "forge:\n  type: github\n  api-url: http://127.0.0.1:" + github.port() + "\n"
                    + "  repository: platform/deploy\n  token-file: " + token + "\n");

            int exit = Main.run(new PrintWriter(f.out, true), new PrintWriter(f.err, true),
                    "reconcile", "--config", config.toString(), "--once");

            assertThat(exit).as("applied, whatever the forge says").isZero();
            assertThat(f.out.toString()).contains("PASS  applied: 1 created");
            assertThat(cluster.client().apps().deployments().inNamespace("shop").withName("api").get()).isNotNull();
            assertThat(f.out.toString() + f.err).doesNotContain("ghp_secret_token_value");
        } finally {
            github.stop();
        }
    }

    @Test
    void reconcileWithoutOnceIsAUsageError() throws Exception {
        try (CheckFixture f = new CheckFixture(dir)) {
            int exit = Main.run(new PrintWriter(f.out, true), new PrintWriter(f.err, true),
                    "reconcile", "--config", f.config().toString());
            assertThat(exit).isEqualTo(2);
            assertThat(f.err.toString()).contains("--once is required");
        }
    }
}
