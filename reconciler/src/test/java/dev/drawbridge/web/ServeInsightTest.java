package dev.drawbridge.web;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /api/priorities} and {@code GET /api/teams} from the gate results of the loop's reconciles (no
 * lookups of their own), with the time to fix read from the decision records once a block is fixed.
 */
class ServeInsightTest {

    static final Set<String> PRIORITY_FIELDS = new TreeSet<>(Set.of("rank", "finding", "rule", "severity", "fixable",
            "fix", "images", "teams", "environments", "workloads", "blocking"));
    static final Set<String> TEAM_FIELDS = new TreeSet<>(Set.of("team", "images", "passing", "blocked", "warned",
            "fixableCriticalHigh", "exceptions", "nextExpiry", "medianTimeToFixHours", "daysSinceProductionBlock", "rank"));

    @TempDir
    Path dir;

    static JsonNode json(ServeFixture f, String path) throws Exception {
        HttpResponse<String> response = f.get(path);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        return ServeTest.JSON.readTree(response.body());
    }

    static Set<String> fields(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static JsonNode team(JsonNode teams, String name) {
        for (JsonNode t : teams.path("teams")) {
            if (t.path("team").asText().equals(name)) {
                return t;
            }
        }
        return null;
    }

    @Test
    void servesThePrioritiesAndTeamsOfTheLastReconcilesAndTheTimeToFixOnceFixed() throws Exception {
        try (ServeFixture f = new ServeFixture(dir)) {
            f.commitOn("env/acceptance", "acceptance/deployment.yaml",
                    ServeNotificationsTest.LABELLED.formatted("harbor.example.com/prod/shop/worker:2.0.0"));
            f.start();

            // both environments verified (a registry answer too slow for its timeout is retried by the loop)
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                String rows = json(f, "/api/priorities").toString();
                return rows.contains("CVE-2026-1234") && !rows.contains("registry.unverified") && !rows.contains("gate.error")
                        && team(json(f, "/api/teams"), "team-shop") != null;
            });
            JsonNode priorities = json(f, "/api/priorities");
            assertThat(fields(priorities)).containsExactly("priorities");
            JsonNode first = priorities.path("priorities").get(0);
            assertThat(fields(first)).isEqualTo(PRIORITY_FIELDS);
            assertThat(first.path("rank").asInt()).isEqualTo(1);
            assertThat(first.path("finding").asText()).isEqualTo("CVE-2026-1234");
            assertThat(first.path("severity").asText()).isEqualTo("CRITICAL");
            assertThat(first.path("fix").asText()).isEqualTo("update openssl to 3.0.15 in harbor.example.com/prod/shop/worker");
            assertThat(first.path("teams").toString()).isEqualTo("[\"team-shop\"]");
            assertThat(first.path("environments").toString()).isEqualTo("[\"acceptance\"]");
            assertThat(first.path("blocking").asBoolean()).isTrue();

            JsonNode teams = json(f, "/api/teams");
            assertThat(fields(teams)).containsExactly("teams");
            teams.path("teams").forEach(t -> assertThat(fields(t)).isEqualTo(TEAM_FIELDS));
            JsonNode shop = team(teams, "team-shop");
            assertThat(shop.path("blocked").asInt()).isEqualTo(1);
            assertThat(shop.path("medianTimeToFixHours").isNull()).isTrue();
            assertThat(shop.path("daysSinceProductionBlock").asLong()).isZero(); // acceptance is the last environment here

            // fixed: the finding goes, the fix is timed from the decision records
            Instant now = Instant.now();
            f.registry.push("prod/shop/worker", "2.0.1", now.minus(Duration.ofDays(1)), "Success", now.minusSeconds(60));
            f.commitOn("env/acceptance", "acceptance/deployment.yaml",
                    ServeNotificationsTest.LABELLED.formatted("harbor.example.com/prod/shop/worker:2.0.1"));
            assertThat(f.post("/api/environments/acceptance/reconcile").statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                JsonNode t = team(json(f, "/api/teams"), "team-shop");
                return t != null && !t.path("medianTimeToFixHours").isNull();
            });
            assertThat(json(f, "/api/priorities").toString()).doesNotContain("CVE-2026-1234");
            JsonNode fixed = team(json(f, "/api/teams"), "team-shop");
            assertThat(fixed.path("blocked").asInt()).isZero();
            assertThat(fixed.path("passing").asInt()).isEqualTo(1);
            assertThat(fixed.path("medianTimeToFixHours").asDouble()).isGreaterThanOrEqualTo(0.0).isLessThan(1.0);
        }
    }
}
