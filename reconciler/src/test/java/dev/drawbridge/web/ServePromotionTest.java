package dev.drawbridge.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.drawbridge.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code serve} runs the promotion stage after the reconciles: production (promote-from acceptance, forge
 * git-notes) shows what waits to be promoted from acceptance and that its own gate blocks it, in
 * {@code GET /api/environments/production}; nothing is pushed to its branch, and its owners are told once.
 */
class ServePromotionTest {

    @TempDir
    Path dir;

    @Test
    void theApiShowsWhatWaitsToBePromotedAndWhyTheTargetBlocksIt() throws Exception {
        WireMockServer hooks = new WireMockServer(wireMockConfig().dynamicPort());
        hooks.start();
        try (ServeFixture f = new ServeFixture(dir)) {
            hooks.stubFor(post(urlEqualTo("/audit")).willReturn(aResponse().withStatus(200)));
            Files.writeString(dir.resolve("audit-url"), hooks.baseUrl() + "/audit");
            String applied = f.commitOn("env/acceptance", "acceptance/deployment.yaml",
                    ServeFixture.deployment("worker", 1, "harbor.example.com/prod/shop/api:1.5.0"));
            String productionHead = f.repo.head("env/production");
            Path file = dir.resolve("promotion.yaml");
            Files.writeString(file, """
                    git: {url: "%s", poll-interval: 1h}
                    forge: {type: git-notes}
                    registries:
                      - {host: harbor.example.com, type: harbor, url: "%s", insecure: true, timeout: 5s}
                    environments:
                      - name: acceptance
                        branch: env/acceptance
                        path: acceptance
                        cluster: {kubeconfig: "%s", context: mock}
                      - name: production
                        branch: env/production
                        path: production
                        cluster: {kubeconfig: "%3$s", context: mock}
                        promote-from: acceptance
                        promotion: auto-merge
                    notifications:
                      - {name: audit, type: webhook, url-file: "%s"}
                    """.formatted(f.repo.url(), f.registry.url(), f.kubeconfig(), dir.resolve("audit-url")));
            f.server = DrawbridgeServer.start(new ConfigLoader().load(file), 0);

            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                JsonNode promotion = ServeTest.JSON.readTree(f.get("/api/environments/production").body()).path("promotion");
                assertThat(promotion.path("status").asText()).isEqualTo("blocked");
                assertThat(promotion.path("revision").asText()).isEqualTo(applied);
            });
            JsonNode production = ServeTest.JSON.readTree(f.get("/api/environments/production").body());
            assertThat(production.path("promotion").path("source").asText()).isEqualTo("acceptance");
            assertThat(production.path("promotion").path("gate").asText()).isEqualTo("BLOCK");
            assertThat(production.path("promotion").path("message").asText()).contains("production's gate blocks acceptance@");
            assertThat(ServeTest.JSON.readTree(f.get("/api/environments/acceptance").body()).has("promotion")).isFalse();
            assertThat(f.repo.head("env/production")).as("nothing pushed").isEqualTo(productionHead);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> hooks.verify(1, postRequestedFor(urlEqualTo("/audit"))
                    .withRequestBody(matchingJsonPath("$.kind", equalTo("PROMOTION_BLOCKED")))
                    .withRequestBody(matchingJsonPath("$.environment", equalTo("production")))
                    .withRequestBody(matchingJsonPath("$.revision", equalTo(applied)))));
        } finally {
            hooks.stop();
        }
    }
}
