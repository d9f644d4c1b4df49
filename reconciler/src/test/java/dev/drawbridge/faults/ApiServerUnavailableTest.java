package dev.drawbridge.faults;

import dev.drawbridge.apply.KubernetesApplier;
import dev.drawbridge.decision.KubernetesDecisionStore;
import dev.drawbridge.apply.testing.MutableClock;
import dev.drawbridge.reconcile.Engines;
import dev.drawbridge.reconcile.ReconcileOutcome;
import dev.drawbridge.reconcile.ReconcilePipeline;
import dev.drawbridge.reconcile.Reason;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API server does not answer: it hangs past the client's timeout in the middle of an apply, or it is gone
 * (nothing listens on its port) for two minutes of the reconciler's clock and then comes back on the same port.
 * Nothing is reported as applied that was not, nothing is pruned, and the environment converges afterwards.
 */
class ApiServerUnavailableTest {

    @TempDir
    Path dir;

    FaultFixture f;

    @BeforeEach
    void setUp() {
        f = new FaultFixture(dir);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void anApiServerHangingPastTheTimeoutMidApplyFailsTheReconcileAndTheNextOneConverges() throws Exception {
        Config config = Config.fromKubeconfig("mock", Files.readString(f.kubeconfig), f.kubeconfig.toString());
        config.setRequestTimeout(1_000);
        config.setRequestRetryBackoffLimit(0);
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
             KubernetesApplier applier = new KubernetesApplier(client)) {
            KubernetesDecisionStore store = new KubernetesDecisionStore(client);
            ReconcilePipeline pipeline = new ReconcilePipeline(Engines.stages(f.config, Clock.systemUTC()), e -> applier,
                    e -> store, dir.resolve("work"));
            f.cluster.delayWhen(ApiServerFaultsTest.APPLY_OF_WEB, Duration.ofSeconds(3), 1);

            ReconcileOutcome hung = pipeline.reconcile(f.config, f.env);

            assertThat(hung).isInstanceOf(ReconcileOutcome.Failed.class);
            assertThat(((ReconcileOutcome.Failed) hung).reason()).isEqualTo(Reason.APPLY_FAILED);
            assertThat(((ReconcileOutcome.Failed) hung).message()).contains("Deployment/shop/web");
            f.assertNothingUnverifiedApplied();

            assertThat(pipeline.reconcile(f.config, f.env)).isInstanceOf(ReconcileOutcome.Applied.class);
            f.assertConverged();
            f.assertNothingUnverifiedApplied();
        }
    }

    @Test
    void anApiServerGoneForTwoMinutesFailsEachReconcileWithoutWritingAndTheFirstOneAfterItIsBackConverges() throws Exception {
        int mockPort = URI.create(f.cluster.url()).getPort();
        try (TcpForwarder apiServer = new TcpForwarder(mockPort)) {
            Path kubeconfig = dir.resolve("kubeconfig-forwarded");
            Files.writeString(kubeconfig, Files.readString(f.kubeconfig).replace(":" + mockPort, ":" + apiServer.port()));
            MutableClock clock = new MutableClock(Instant.now());
            ReconcilePipeline pipeline = f.pipeline(clock, dir.resolve("work"), null, dev.drawbridge.reconcile.Ownership.ALONE,
                    f.clients, kubeconfig);
            assertThat(pipeline.reconcile(f.config, f.env)).isInstanceOf(ReconcileOutcome.Applied.class);
            f.commitOnBranch("app/web.yaml", FaultFixture.deployment("web", FaultFixture.reference(f.images.get("web")), 4));

            apiServer.cut();
            f.cluster.clearRequests();
            Instant gone = clock.instant();
            while (Duration.between(gone, clock.instant()).compareTo(Duration.ofMinutes(2)) < 0) {
                ReconcileOutcome outcome = pipeline.reconcile(f.config, f.env);
                assertThat(outcome).isInstanceOf(ReconcileOutcome.Failed.class);
                assertThat(((ReconcileOutcome.Failed) outcome).reason()).isEqualTo(Reason.APPLY_FAILED);
                clock.advance(Duration.ofSeconds(40)); // the loop's backoff: 5 s, 10 s, 20 s, 40 s, ...
            }
            assertThat(f.cluster.requests()).as("nothing reached the API server while it was gone").isEmpty();
            assertThat(f.live("web").getSpec().getReplicas()).isEqualTo(2);

            apiServer.restore();
            assertThat(pipeline.reconcile(f.config, f.env)).isInstanceOf(ReconcileOutcome.Applied.class);
            assertThat(f.live("web").getSpec().getReplicas()).isEqualTo(4);
            f.assertConverged();
            f.assertNothingUnverifiedApplied();
        }
    }
}
