package dev.drawbridge.faults;

import dev.drawbridge.apply.testing.ApplyingMockServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code kill -9} of {@code java -jar drawbridge.jar serve} in the middle of an apply: the API server holds its answer
 * to the first object of the new revision, and the process is killed (SIGKILL: no shutdown hook, no release of
 * anything) while it waits. A new process completes the revision and prunes nothing.
 */
class KilledServeIT {

    static final Path JAR = Path.of("target/drawbridge.jar");
    static final Predicate<ApplyingMockServer.Call> APPLY_OF_API =
            c -> c.isApply() && !c.isDryRun() && c.path().endsWith("/namespaces/shop/deployments/api");

    @TempDir
    Path dir;

    Process serve(Path config, Path log) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xmx256m", "-jar", JAR.toAbsolutePath().toString(), "serve",
                "--config", config.toString(), "--port", String.valueOf(freePort()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(name -> name.startsWith("DRAWBRIDGE_") || name.startsWith("SPRING_"));
        return builder.start();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aServeKilledMidApplyIsCompletedByTheNextProcessWhichPrunesNothing() throws Exception {
        try (FaultFixture f = new FaultFixture(dir, "interval: 1h")) {
            assertThat(f.pipeline().reconcile(f.config, f.env)).isInstanceOf(dev.drawbridge.reconcile.ReconcileOutcome.Applied.class);
            f.commitOnBranch("app/api.yaml", FaultFixture.deployment("api", FaultFixture.reference(f.images.get("api")), 3));
            f.commitOnBranch("app/web.yaml", FaultFixture.deployment("web", FaultFixture.reference(f.images.get("web")), 3));
            f.cluster.clearRequests();
            f.cluster.delayWhen(APPLY_OF_API, Duration.ofMinutes(5), 1);
            Path log = dir.resolve("serve.log");

            Process first = serve(dir.resolve("drawbridge.yaml"), log);
            try {
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    assertThat(first.isAlive()).as("serve exited early:%n%s", Files.readString(log)).isTrue();
                    return f.cluster.applies().stream().anyMatch(APPLY_OF_API);
                });
            } finally {
                first.destroyForcibly(); // SIGKILL
                assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(first.exitValue()).isEqualTo(137);
            assertThat(f.live("web").getSpec().getReplicas()).as("killed before its next object").isEqualTo(2);

            Process second = serve(dir.resolve("drawbridge.yaml"), log);
            try {
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    assertThat(second.isAlive()).as("serve exited early:%n%s", Files.readString(log)).isTrue();
                    assertThat(f.live("web").getSpec().getReplicas()).isEqualTo(3);
                });
            } finally {
                second.destroy();
                second.waitFor(30, TimeUnit.SECONDS);
            }
            assertThat(f.live("api").getSpec().getReplicas()).isEqualTo(3);
            f.assertConverged();
            f.assertNothingUnverifiedApplied();
            ConfigMap inventory = f.cluster.client().configMaps().inNamespace("drawbridge-system")
                    .withName("drawbridge-inventory-production").get();
            assertThat(inventory.getData().toString()).contains("api").contains("web").contains("worker");
        }
    }
}
