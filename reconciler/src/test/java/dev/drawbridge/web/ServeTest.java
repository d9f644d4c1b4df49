package dev.drawbridge.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code serve} end to end, one server for the class: real Git, a Harbor stand-in and a mock cluster
 * behind a kubeconfig. {@code production} passes and is applied; {@code acceptance} is blocked by a
 * fixable CRITICAL finding. Intervals are an hour: whatever happens after the start was triggered.
 */
class ServeTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static ServeFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new ServeFixture(dir);
        f.start();
        // the first reconciles of both environments; generous for a loaded machine
        await().atMost(Duration.ofSeconds(60)).until(() -> f.get("/actuator/health").statusCode() == 200);
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
    }

    static Deployment deployment(String name) {
        return f.cluster.client().apps().deployments().inNamespace("shop").withName(name).get();
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void reconcilesEveryEnvironmentOnItsOwnAndReportsHealthUp() throws Exception {
        assertThat(deployment("api").getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .startsWith("harbor.example.com/prod/shop/api@sha256:");
        assertThat(deployment("worker")).as("blocked: never applied").isNull();

        JsonNode production = json(f.get("/api/environments/production"));
        assertThat(production.path("outcome").asText()).isEqualTo("applied");
        assertThat(production.path("revision").asText()).isEqualTo(f.repo.head("env/production"));
        assertThat(production.path("consecutiveFailures").asInt()).isZero();
        assertThat(production.path("finishedAt").asText()).isNotEmpty();
        JsonNode acceptance = json(f.get("/api/environments/acceptance"));
        assertThat(acceptance.path("outcome").asText()).isEqualTo("blocked");
        assertThat(acceptance.path("reason").asText()).isEqualTo("GATE_BLOCKED");

        HttpResponse<String> health = f.get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json(health).path("status").asText()).isEqualTo("UP");
        HttpResponse<String> readiness = f.get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(json(readiness).path("status").asText()).isEqualTo("UP");
        assertThat(f.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
    }

    @Test
    void healthShowsAnonymousCallersItsStatusOnlyNoComponentsOrDetails() throws Exception {
        for (String path : java.util.List.of("/actuator/health", "/actuator/health/readiness", "/actuator/health/liveness",
                "/actuator/health/environments")) {
            HttpResponse<String> response = f.get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            JsonNode body = json(response);
            assertThat(body.path("status").asText()).as(path).isEqualTo("UP");
            assertThat(body.has("components") || body.has("details")).as(path + ": " + response.body()).isFalse();
            assertThat(response.body()).as(path).doesNotContain("production", "acceptance", f.repo.head("env/production"),
                    "GATE_BLOCKED", "diskSpace");
        }
    }

    @Test
    void exposesReconcileAndRegistryMetricsForPrometheus() throws Exception {
        HttpResponse<String> response = f.get("/actuator/prometheus");
        assertThat(response.statusCode()).isEqualTo(200);
        String body = response.body();
        assertThat(body.lines().filter(l -> l.startsWith("drawbridge_reconcile_duration_seconds_count{"))
                .filter(l -> l.contains("environment=\"production\"") && l.contains("outcome=\"applied\"")
                        && l.contains("reason=\"none\"")))
                .isNotEmpty();
        assertThat(body.lines().filter(l -> l.startsWith("drawbridge_reconcile_outcomes_total{"))
                .filter(l -> l.contains("environment=\"acceptance\"") && l.contains("outcome=\"blocked\"")
                        && l.contains("reason=\"GATE_BLOCKED\"")))
                .isNotEmpty();
        assertThat(body).contains("drawbridge_objects_applied_total{environment=\"production\"}",
                "drawbridge_objects_pruned_total{environment=\"production\"}",
                "drawbridge_drift_undone_total{environment=\"production\"}",
                "drawbridge_registry_lookups_total", "drawbridge_registry_cache_hits_total",
                "drawbridge_statuses_posted_total", "drawbridge_statuses_failed_total",
                "drawbridge_registry_http_requests_total");
        assertThat(body.lines().filter(l -> l.startsWith("drawbridge_registry_http_requests_total")).findFirst().orElseThrow())
                .doesNotEndWith(" 0.0");
    }

    @Test
    void theDecisionPageOfABlockedRevisionShowsTheViolationAndHowToFixIt() throws Exception {
        String sha = f.repo.head("env/acceptance");
        HttpResponse<String> page = f.get("/environments/acceptance/decisions/" + sha);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'none'");
        String digest = f.registry.images().stream().filter(i -> i.repository().equals("prod/shop/worker"))
                .findFirst().orElseThrow().digest().toString();
        assertThat(page.body()).contains("BLOCK", sha, "env/acceptance", "harbor.example.com/prod/shop/worker:2.0.0",
                digest, "apps/v1/Deployment/shop/worker", "scan.severity", "CVE-2026-1234", "openssl", "3.0.15",
                "how to fix");
        assertThat(page.body()).containsPattern("(?i)<td>[^<]*(update|upgrade|rebuild)[^<]*3\\.0\\.15[^<]*</td>");
        assertThat(page.body()).doesNotContain("<script");
    }

    @Test
    void theDecisionPageOfAnAppliedRevisionShowsImagesDigestsAndPolicyRevisionAndEscapesEveryValue() throws Exception {
        String sha = f.repo.head("env/production");
        HttpResponse<String> page = f.get("/environments/production/decisions/" + sha.substring(0, 10));

        assertThat(page.statusCode()).isEqualTo(200);
        String digest = f.registry.images().stream().filter(i -> i.tag().equals("1.4.2"))
                .findFirst().orElseThrow().digest().toString();
        assertThat(page.body()).contains("PASS", sha, f.repo.head("main"), "harbor.example.com/prod/shop/api:1.4.2",
                digest, "applied", "EXC-1", "CVE-2026-0001");
        assertThat(page.body()).contains("&lt;script&gt;alert(\"owned\")&lt;/script&gt;")
                .doesNotContain(ServeFixture.HOSTILE).doesNotContain("<script");
    }

    @Test
    void unknownRevisionsAndEnvironmentsGetANotFoundPage() throws Exception {
        HttpResponse<String> unknownSha = f.get("/environments/production/decisions/" + "0".repeat(40));
        assertThat(unknownSha.statusCode()).isEqualTo(404);
        assertThat(unknownSha.body()).contains("Not found", "0".repeat(40));

        HttpResponse<String> hostile = f.get("/environments/production/decisions/%3Cscript%3Ealert(1)%3C%3E");
        assertThat(hostile.statusCode()).isEqualTo(404);
        assertThat(hostile.body()).doesNotContain("<script");

        assertThat(f.get("/environments/staging/decisions/" + f.repo.head("env/production")).statusCode()).isEqualTo(404);
        assertThat(f.get("/api/environments/staging").statusCode()).isEqualTo(404);
        assertThat(f.post("/api/environments/staging/reconcile").statusCode()).isEqualTo(404);

        // no environment name at all (not a DNS label): not configured either, never a server error
        HttpResponse<String> invalid = f.get("/api/environments/Prod_1");
        assertThat(invalid.statusCode()).isEqualTo(404);
        assertThat(invalid.body()).isEqualTo(
                "{\"error\":\"environment \\\"Prod_1\\\" is not configured (configured: production, acceptance)\"}");
        assertThat(f.post("/api/environments/Prod_1/reconcile").statusCode()).isEqualTo(404);
        assertThat(f.get("/environments/Prod_1/decisions/" + f.repo.head("env/production")).statusCode()).isEqualTo(404);
    }

    @Test
    void theDashboardListsEveryEnvironmentWithItsLastDecisionAndALinkToItsPage() throws Exception {
        HttpResponse<String> page = f.get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("production", "acceptance", "PASS", "BLOCK",
                "href=\"/environments/acceptance/decisions/" + f.repo.head("env/acceptance") + "\"");
    }

    @Test
    void thePrioritiesTeamsAndExceptionsPagesShowTheFindingsAndEscapeTheOwnerOfAnException() throws Exception {
        HttpResponse<String> priorities = f.get("/priorities");
        assertThat(priorities.statusCode()).isEqualTo(200);
        assertThat(priorities.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'none'");
        assertThat(priorities.body()).contains("CVE-2026-1234", "href=\"/environments/acceptance/decisions/"
                + f.repo.head("env/acceptance") + "\"");

        HttpResponse<String> exceptions = f.get("/exceptions");
        assertThat(exceptions.statusCode()).isEqualTo(200);
        assertThat(exceptions.body()).contains("EXC-1", "CVE-2026-0001", "not reachable from the network",
                        "&lt;script&gt;alert(\"owned\")&lt;/script&gt;")
                .doesNotContain("<script");

        HttpResponse<String> teams = f.get("/teams");
        assertThat(teams.statusCode()).isEqualTo(200);
        assertThat(teams.body()).contains("unowned", "<svg class=\"trend\"").doesNotContain("<script");
    }

    @Test
    void theApiListsEnvironmentsAndAPostReconcilesANewCommitWithoutWaitingForTheInterval() throws Exception {
        JsonNode list = json(f.get("/api/environments"));
        assertThat(list).hasSize(2);
        assertThat(list.get(0).path("name").asText()).isEqualTo("production");
        JsonNode acceptance = json(f.get("/api/environments/acceptance"));
        assertThat(acceptance.path("outcome").asText()).isEqualTo("blocked");
        assertThat(acceptance.path("report").path("decision").asText()).isEqualTo("BLOCK");
        assertThat(acceptance.path("decisionPage").asText()).isEqualTo("/environments/acceptance/decisions/"
                + f.repo.head("env/acceptance"));

        String sha = f.commitOn("env/production", "production/deployment.yaml",
                ServeFixture.deployment("api", 2, "harbor.example.com/prod/shop/api:1.5.0"));
        HttpResponse<String> accepted = f.post("/api/environments/production/reconcile");

        assertThat(accepted.statusCode()).isEqualTo(202);
        String digest = f.registry.images().stream().filter(i -> i.tag().equals("1.5.0"))
                .findFirst().orElseThrow().digest().toString();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                deployment("api").getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("harbor.example.com/prod/shop/api@" + digest));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                json(f.get("/api/environments/production")).path("revision").asText()).isEqualTo(sha));
        assertThat(f.get("/environments/production/decisions/" + sha).body()).contains("Deployment/shop/api configured");
    }
}
