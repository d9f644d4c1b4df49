package dev.drawbridge.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A registry that answers 503: nothing is applied, the environments fail closed and health is DOWN. */
class ServeFailureTest {

    @TempDir
    Path dir;

    @Test
    void aRegistryThatAnswers503MakesHealthDownAndThePageSaysWhatCouldNotBeVerified() throws Exception {
        try (ServeFixture f = new ServeFixture(dir)) {
            f.registry.wireMock().stubFor(any(anyUrl()).atPriority(1).willReturn(aResponse().withStatus(503)));
            f.start();

            // every environment fails; health is DOWN from the first that does, so wait for production's own outcome
            await().atMost(Duration.ofSeconds(15)).until(() -> f.get("/actuator/health").statusCode() == 503
                    && new ObjectMapper().readTree(f.get("/actuator/health").body()).path("status").asText().equals("DOWN")
                    && new ObjectMapper().readTree(f.get("/api/environments/production").body()).path("outcome").asText()
                    .equals("failed"));
            assertThat(f.get("/actuator/health").body()).as("status only").doesNotContain("production", "GATE_ERROR");
            JsonNode production = new ObjectMapper().readTree(f.get("/api/environments/production").body());
            assertThat(production.path("outcome").asText()).isEqualTo("failed");
            assertThat(production.path("reason").asText()).isEqualTo("GATE_ERROR");
            assertThat(production.path("consecutiveFailures").asInt()).isPositive();
            assertThat(f.get("/actuator/health/environments").statusCode()).isEqualTo(503);
            assertThat(f.get("/actuator/health/readiness").statusCode())
                    .as("a broken environment does not take webhooks and the dashboard off the Service").isEqualTo(200);
            assertThat(f.cluster.writes()).as("only decision records, nothing Git describes")
                    .allMatch(c -> c.path().contains("/decisionrecords") || c.path().endsWith("/namespaces/drawbridge-system"));

            HttpResponse<String> page = f.get("/environments/production/decisions/" + f.repo.head("env/production"));
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("ERROR", "GATE_ERROR", "could not verify", "503");
            assertThat(f.get("/actuator/prometheus").body()).containsPattern(
                    "drawbridge_reconcile_outcomes_total\\{[^}]*outcome=\"failed\"[^}]*reason=\"GATE_ERROR\"");
        }
    }
}
