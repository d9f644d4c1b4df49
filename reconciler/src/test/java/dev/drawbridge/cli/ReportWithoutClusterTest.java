package dev.drawbridge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code report} needs no cluster: promotion evidence is skipped and the history unknown, and stderr says so. */
class ReportWithoutClusterTest {

    @TempDir
    Path dir;

    @Test
    void reportsFromTheBranchHeadsAndTheRegistryWhenNoClusterCanBeReached() throws Exception {
        try (CheckFixture f = new CheckFixture(dir)) {
            Path kubeconfig = dir.resolve("kubeconfig");
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
                    users: [{name: u, user: {token: t}}]
                    contexts: [{name: unreachable, context: {cluster: c, user: u}}]
                    current-context: unreachable
                    """);
            f.onMain("policies/acceptance.yaml", CheckFixture.POLICY);
            String cluster = "    cluster: {kubeconfig: " + kubeconfig + ", context: unreachable}\n";
            Path config = f.config(Files.readString(f.config()) + cluster + "    promote-from: acceptance\n"
                    + "  - name: acceptance\n    branch: env/production\n    path: app\n" + cluster);

            int exit = Main.run(new java.io.PrintWriter(f.out, true), new java.io.PrintWriter(f.err, true),
                    "report", "--config", config.toString(), "--format", "json");

            assertThat(exit).as(f.err.toString()).isZero();
            assertThat(f.err.toString()).contains("report: production: promotion.evidence skipped: the decision records of"
                    + " acceptance cannot be read", "report: production: no decision history");
            JsonNode root = new ObjectMapper().readTree(f.out.toString());
            assertThat(root.path("priorities")).isEmpty(); // the one image is clean, nothing is in ERROR
            assertThat(root.path("teams")).extracting(t -> t.path("team").asText()).containsExactly("team-shop", "unowned");
            JsonNode shop = root.path("teams").get(0); // owns EXC-1 (in both policies: one exception), no workload
            assertThat(shop.path("images").asInt()).isZero();
            assertThat(shop.path("exceptions").asInt()).isEqualTo(1);
            assertThat(shop.path("nextExpiry").asText()).isEqualTo("2099-01-31");
            JsonNode unowned = root.path("teams").get(1);
            assertThat(unowned.path("images").asInt()).isEqualTo(2);
            assertThat(unowned.path("passing").asInt()).isEqualTo(2);
            assertThat(unowned.path("medianTimeToFixHours").isNull()).isTrue();
            assertThat(unowned.path("daysSinceProductionBlock").isNull()).isTrue();
        }
    }
}
