package dev.drawbridge.web;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code serve} notifies changes of outcome: acceptance is blocked at start (told once, to the owner of the
 * blocked workload, read from its {@code drawbridge.dev/owner} label), stays blocked on the next reconcile
 * (nothing told), and is unblocked by a fixed image.
 */
class ServeNotificationsTest {

    static final String LABELLED = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: worker
              namespace: shop
              labels: {drawbridge.dev/owner: team-shop}
            spec:
              replicas: 1
              selector:
                matchLabels: {app: worker}
              template:
                metadata:
                  labels: {app: worker}
                spec:
                  containers:
                    - name: app
                      image: "%s"
            """;

    @TempDir
    Path dir;

    static String finishedAt(ServeFixture f) throws Exception {
        return ServeTest.JSON.readTree(f.get("/api/environments/acceptance").body()).path("finishedAt").asText();
    }

    @Test
    void tellsTheOwnerOnceWhenBlockedAndAgainWhenUnblocked() throws Exception {
        WireMockServer hooks = new WireMockServer(wireMockConfig().dynamicPort());
        hooks.start();
        try (ServeFixture f = new ServeFixture(dir)) {
            hooks.stubFor(post(urlEqualTo("/shop/T0K3N")).willReturn(aResponse().withStatus(200)));
            hooks.stubFor(post(urlEqualTo("/payments/T0K3N")).willReturn(aResponse().withStatus(200)));
            Files.writeString(dir.resolve("shop-url"), hooks.baseUrl() + "/shop/T0K3N");
            Files.writeString(dir.resolve("payments-url"), hooks.baseUrl() + "/payments/T0K3N");
            f.extraConfig = """
                    notifications:
                      - {name: shop, type: webhook, url-file: %s, owners: [team-shop]}
                      - {name: payments, type: slack, url-file: %s, owners: [team-payments]}
                    """.formatted(dir.resolve("shop-url"), dir.resolve("payments-url"));
            String blockedSha = f.commitOn("env/acceptance", "acceptance/deployment.yaml",
                    LABELLED.formatted("harbor.example.com/prod/shop/worker:2.0.0"));
            f.start();

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> hooks.verify(1, postRequestedFor(urlEqualTo("/shop/T0K3N"))
                    .withRequestBody(equalToJson("""
                            {"environment": "acceptance", "kind": "BLOCKED", "revision": "%s",
                             "owners": ["team-shop"],
                             "link": "http://localhost:8080/environments/acceptance/decisions/%1$s"}""".formatted(blockedSha),
                            false, true))
                    .withRequestBody(matchingJsonPath("$.description", containing("CVE-2026-1234")))));

            // blocked again: nothing new to tell (checked below: a notifier sends in order, one at a time, so a
            // wrong second BLOCKED would arrive before the UNBLOCKED of the next reconcile)
            String finished = finishedAt(f);
            assertThat(f.post("/api/environments/acceptance/reconcile").statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).until(() -> !finishedAt(f).equals(finished));

            // fixed: unblocked
            Instant now = Instant.now();
            f.registry.push("prod/shop/worker", "2.0.1", now.minus(Duration.ofDays(1)), "Success", now.minusSeconds(60));
            String fixedSha = f.commitOn("env/acceptance", "acceptance/deployment.yaml",
                    LABELLED.formatted("harbor.example.com/prod/shop/worker:2.0.1"));
            assertThat(f.post("/api/environments/acceptance/reconcile").statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> hooks.verify(1, postRequestedFor(urlEqualTo("/shop/T0K3N"))
                    .withRequestBody(matchingJsonPath("$.kind", containing("UNBLOCKED")))
                    .withRequestBody(matchingJsonPath("$.revision", containing(fixedSha)))));

            assertThat(hooks.findAll(postRequestedFor(urlEqualTo("/shop/T0K3N"))))
                    .as("told once when blocked, nothing when blocked again, once when unblocked")
                    .extracting(r -> ServeTest.JSON.readTree(r.getBodyAsString()).path("kind").asText())
                    .containsExactlyInAnyOrder("BLOCKED", "UNBLOCKED");
            hooks.verify(0, postRequestedFor(urlEqualTo("/payments/T0K3N")));
        } finally {
            hooks.stop();
        }
    }
}
