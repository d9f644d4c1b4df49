package dev.drawbridge.faults;

import dev.drawbridge.apply.KubernetesClients;
import dev.drawbridge.apply.testing.ApplyingMockServer;
import dev.drawbridge.apply.testing.MutableClock;
import dev.drawbridge.reconcile.EnvironmentLeases;
import dev.drawbridge.reconcile.ReconcileOutcome;
import dev.drawbridge.reconcile.ReconcilePipeline;
import dev.drawbridge.reconcile.Reason;
import dev.drawbridge.values.EnvironmentName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas of serve (two pipelines with their own clients and Leases, told apart by the API server by their
 * tokens) share one environment. The holder stops mid-apply: its answer from the API server is slow, and it stops
 * renewing (killed, or frozen: a long GC pause, a partition). The other replica takes the Lease over and finishes
 * the revision; the frozen one, when it wakes, writes nothing more: never two appliers of one environment at once.
 */
class LeaseHolderKilledTest {

    static final Duration DURATION = Duration.ofSeconds(15);
    static final Duration RENEW = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    FaultFixture f;
    MutableClock clock = new MutableClock(Instant.now());
    KubernetesClients clientsA = new KubernetesClients();
    KubernetesClients clientsB = new KubernetesClients();

    @BeforeEach
    void setUp() {
        f = new FaultFixture(dir);
    }

    @AfterEach
    void tearDown() {
        clientsA.close();
        clientsB.close();
        f.close();
    }

    EnvironmentLeases leases(KubernetesClients clients, Path kubeconfig, String identity) {
        return new EnvironmentLeases(clients.leases(kubeconfig, "mock", "drawbridge-system"), identity, DURATION, RENEW,
                List.of(EnvironmentName.of("production")), clock);
    }

    static boolean workloadWrite(ApplyingMockServer.Call call) {
        return call.isWrite() && !call.isDryRun() && call.path().contains("/namespaces/shop/");
    }

    @Test
    void theOtherReplicaFinishesTheRevisionAndTheHolderThatLostItsLeaseWritesNothingMore() throws Exception {
        Path kubeconfigA = f.cluster.writeKubeconfig(dir.resolve("kubeconfig-a"), "replica-a");
        Path kubeconfigB = f.cluster.writeKubeconfig(dir.resolve("kubeconfig-b"), "replica-b");
        EnvironmentLeases a = leases(clientsA, kubeconfigA, "replica-a");
        EnvironmentLeases b = leases(clientsB, kubeconfigB, "replica-b");
        ReconcilePipeline pipelineA = f.pipeline(clock, dir.resolve("work-a"), null, a, clientsA, kubeconfigA);
        ReconcilePipeline pipelineB = f.pipeline(clock, dir.resolve("work-b"), null, b, clientsB, kubeconfigB);
        a.tick();
        b.tick(); // both announce themselves; one renew period later the first in its stripe takes the Lease
        clock.advance(RENEW);
        a.tick();
        b.tick();
        assertThat(a.holds(EnvironmentName.of("production"))).isTrue();
        assertThat(b.holds(EnvironmentName.of("production"))).isFalse();

        // the holder's apply of its first object gets no answer for a while
        f.cluster.delayWhen(c -> c.isApply() && !c.isDryRun() && "replica-a".equals(c.client())
                && c.path().endsWith("/deployments/api"), Duration.ofSeconds(4), 1);
        CompletableFuture<ReconcileOutcome> holder = CompletableFuture.supplyAsync(() -> pipelineA.reconcile(f.config, f.env));
        await().atMost(Duration.ofSeconds(60)).until(() -> f.cluster.requests().stream()
                .anyMatch(c -> "replica-a".equals(c.client()) && c.isApply() && c.path().endsWith("/deployments/api")));

        // it renews no more; the other replica takes over within the Lease's duration plus one renew period
        clock.advance(DURATION);
        b.tick();
        clock.advance(RENEW);
        b.tick();
        assertThat(b.holds(EnvironmentName.of("production"))).isTrue();
        assertThat(a.holds(EnvironmentName.of("production"))).isFalse();
        ReconcileOutcome taken = pipelineB.reconcile(f.config, f.env);

        assertThat(taken).isInstanceOf(ReconcileOutcome.Applied.class);
        ReconcileOutcome stale = holder.get(60, TimeUnit.SECONDS);
        assertThat(stale).isInstanceOf(ReconcileOutcome.Failed.class);
        assertThat(((ReconcileOutcome.Failed) stale).reason()).isEqualTo(Reason.LEASE_LOST);

        List<ApplyingMockServer.Call> writes = f.cluster.requests().stream().filter(LeaseHolderKilledTest::workloadWrite).toList();
        Instant firstOfB = writes.stream().filter(c -> "replica-b".equals(c.client())).map(ApplyingMockServer.Call::at)
                .min(Instant::compareTo).orElseThrow();
        assertThat(writes).filteredOn(c -> "replica-a".equals(c.client()))
                .as("the replica that lost the Lease wrote only before the other one took over")
                .hasSize(1).allSatisfy(c -> assertThat(c.at()).isBefore(firstOfB));
        assertThat(writes).filteredOn(c -> !"replica-a".equals(c.client()) && !"replica-b".equals(c.client())).isEmpty();
        f.assertConverged();
        f.assertNothingUnverifiedApplied();
    }
}
