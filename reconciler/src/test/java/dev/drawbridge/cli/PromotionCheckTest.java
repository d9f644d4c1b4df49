package dev.drawbridge.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code check} of an environment with {@code promote-from}: evidence from the cluster, or fail closed. */
class PromotionCheckTest {

    @TempDir
    Path dir;

    Path config(CheckFixture f) throws Exception {
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
        return f.config(Files.readString(f.config())
                + "    promote-from: acceptance\n"
                + "  - name: acceptance\n    branch: env/production\n    path: app\n"
                + "    cluster: {kubeconfig: " + kubeconfig + ", context: unreachable}\n");
    }

    @Test
    void evidenceThatCannotBeReadIsAnErrorNamingTheRule() throws Exception {
        try (CheckFixture f = new CheckFixture(dir)) {
            int exit = f.check("--config", config(f).toString(), "--env", "production");
            assertThat(exit).isEqualTo(2);
            assertThat(f.err.toString()).contains("promotion.evidence: could not read the decision records of environment acceptance",
                    "--skip-promotion");
        }
    }

    @Test
    void skippingPromotionSaysSoInTheJson() throws Exception {
        try (CheckFixture f = new CheckFixture(dir)) {
            int exit = f.check("--config", config(f).toString(), "--env", "production", "--skip-promotion", "--format", "json");
            assertThat(exit).as(f.err.toString()).isZero();
            assertThat(f.out.toString()).contains("\"skipped\" : [ \"promotion.evidence\" ]", "\"decision\" : \"PASS\"");
        }
    }
}
