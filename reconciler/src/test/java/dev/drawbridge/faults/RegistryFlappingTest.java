package dev.drawbridge.faults;

import dev.drawbridge.reconcile.ReconcileOutcome;
import dev.drawbridge.reconcile.ReconcilePipeline;
import dev.drawbridge.reconcile.Reason;
import dev.drawbridge.values.EnvironmentName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry flaps: every other request answers 503. An image that could not be verified is never applied
 * (the revision is an ERROR, the cluster keeps what it runs); once the registry is steady the revision is applied
 * with the verified digests.
 */
class RegistryFlappingTest {

    @TempDir
    Path dir;

    @Test
    void aRegistryAnswering503EveryOtherRequestAppliesNothingUnverifiedAndTheEnvironmentConvergesOnceItIsSteady() {
        try (FaultFixture f = new FaultFixture(dir); FlappingProxy registry = new FlappingProxy(f.registry.url())) {
            f.configure("");
            String config = f.dir.resolve("drawbridge.yaml").toString();
            FaultFixture.write(Path.of(config), readString(Path.of(config)).replace(f.registry.url(), registry.url()));
            f.config = load(Path.of(config));
            f.env = f.config.environment(EnvironmentName.of("production")).orElseThrow();
            ReconcilePipeline pipeline = f.pipeline();

            ReconcileOutcome flapping = pipeline.reconcile(f.config, f.env);

            assertThat(registry.refused()).isPositive();
            assertThat(flapping).isInstanceOf(ReconcileOutcome.Failed.class);
            assertThat(((ReconcileOutcome.Failed) flapping).reason()).isEqualTo(Reason.GATE_ERROR);
            assertThat(((ReconcileOutcome.Failed) flapping).message()).contains("could not verify");
            assertThat(f.cluster.writes()).filteredOn(c -> c.path().contains("/namespaces/shop/")).isEmpty();

            registry.stopFlapping();
            assertThat(pipeline.reconcile(f.config, f.env)).isInstanceOf(ReconcileOutcome.Applied.class);
            f.assertConverged();
            f.assertNothingUnverifiedApplied();
        }
    }

    static String readString(Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static dev.drawbridge.config.DrawbridgeConfig load(Path file) {
        try {
            return new dev.drawbridge.config.ConfigLoader().load(file);
        } catch (dev.drawbridge.yaml.YamlValidationException e) {
            throw new IllegalStateException(e);
        }
    }
}
