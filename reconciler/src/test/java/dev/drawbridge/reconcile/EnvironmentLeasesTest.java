package dev.drawbridge.reconcile;

import dev.drawbridge.apply.KubernetesClients;
import dev.drawbridge.apply.LeaseRecord;
import dev.drawbridge.apply.LeaseStore;
import dev.drawbridge.apply.testing.ApplyingMockServer;
import dev.drawbridge.apply.testing.MutableClock;
import dev.drawbridge.values.EnvironmentName;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Replicas of serve share environments through Leases in the API server (the Fabric8 mock server in CRUD mode:
 * real Lease objects, 409 on a stale resourceVersion), as client-go's leader election does: each environment
 * has one holder, they spread over the replicas, a replica that stops renewing is replaced within the Lease's
 * duration plus one renew period, and a trigger reaches the holder.
 */
class EnvironmentLeasesTest {

    static final Duration DURATION = Duration.ofSeconds(15);
    static final Duration RENEW = Duration.ofSeconds(5);
    static final List<String> ENVIRONMENTS = List.of("dev", "acceptance", "production", "staging");

    @TempDir
    Path dir;

    ApplyingMockServer server;
    KubernetesClients clients;
    MutableClock clock = MutableClock.atEpoch();

    @BeforeEach
    void start() {
        server = ApplyingMockServer.start();
        clients = new KubernetesClients();
    }

    @AfterEach
    void stop() {
        clients.close();
        server.close();
    }

    EnvironmentLeases replica(String identity) {
        Path kubeconfig = server.writeKubeconfig(dir.resolve("kubeconfig-" + identity));
        return new EnvironmentLeases(clients.leases(kubeconfig, "mock", "drawbridge-system"), identity, DURATION, RENEW,
                ENVIRONMENTS.stream().map(EnvironmentName::of).toList(), clock);
    }

    /** One renew period passes and every replica given ticks once. */
    void round(EnvironmentLeases... replicas) {
        clock.advance(RENEW);
        for (EnvironmentLeases r : replicas) {
            r.tick();
        }
    }

    static List<String> held(EnvironmentLeases replica) {
        return ENVIRONMENTS.stream().filter(e -> replica.holds(EnvironmentName.of(e))).toList();
    }

    static void neverTwoHolders(EnvironmentLeases a, EnvironmentLeases b) {
        for (String env : ENVIRONMENTS) {
            assertThat(a.holds(EnvironmentName.of(env)) && b.holds(EnvironmentName.of(env))).as(env + " held by both").isFalse();
        }
    }

    @Test
    void aReplicaAloneTakesEveryEnvironmentWithOneLeaseEach() {
        EnvironmentLeases a = replica("pod-a");
        a.tick();

        assertThat(held(a)).containsExactlyElementsOf(ENVIRONMENTS);
        Lease lease = server.client().leases().inNamespace("drawbridge-system").withName("drawbridge-production").get();
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("pod-a");
        assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(15);
        assertThat(lease.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "drawbridge");
    }

    @Test
    void aSecondReplicaGetsItsShareAndNoEnvironmentIsEverHeldByBoth() {
        EnvironmentLeases a = replica("pod-a");
        EnvironmentLeases b = replica("pod-b");
        a.tick();
        for (int i = 0; i < 4; i++) {
            round(b, a);
            neverTwoHolders(a, b);
        }

        assertThat(held(a)).hasSize(2);
        assertThat(held(b)).hasSize(2);
        assertThat(new ArrayList<>(held(a))).doesNotContainAnyElementsOf(held(b));
    }

    @Test
    void aReplicaThatStopsRenewingIsReplacedWithinTheDurationPlusOneRenewPeriod() {
        EnvironmentLeases a = replica("pod-a");
        EnvironmentLeases b = replica("pod-b");
        a.tick();
        for (int i = 0; i < 4; i++) {
            round(b, a);
        }
        List<String> ofA = held(a);
        assertThat(ofA).hasSize(2);

        // pod-a is killed: it never ticks again
        Duration waited = Duration.ZERO;
        while (!held(b).containsAll(ENVIRONMENTS) && waited.compareTo(Duration.ofMinutes(2)) < 0) {
            round(b);
            waited = waited.plus(RENEW);
            neverTwoHolders(a, b);
        }
        assertThat(held(b)).containsExactlyElementsOf(ENVIRONMENTS);
        assertThat(waited).isLessThanOrEqualTo(DURATION.plus(RENEW));
        assertThat(held(a)).as("its own view ran out before the takeover").isEmpty();
    }

    @Test
    void aGracefulStopLetsTheOtherReplicaTakeOverAtItsNextTick() {
        EnvironmentLeases a = replica("pod-a");
        EnvironmentLeases b = replica("pod-b");
        a.tick();
        for (int i = 0; i < 4; i++) {
            round(b, a);
        }
        a.releaseAll();
        round(b);
        assertThat(held(b)).containsExactlyElementsOf(ENVIRONMENTS);
        assertThat(held(a)).isEmpty();
    }

    @Test
    void aTriggerThatReachesAnotherReplicaIsPassedOnToTheHolder() {
        EnvironmentLeases a = replica("pod-a");
        EnvironmentLeases b = replica("pod-b");
        List<String> triggered = new CopyOnWriteArrayList<>();
        a.listener(new EnvironmentLeases.Listener() {
            @Override
            public void acquired(EnvironmentName environment) {
            }

            @Override
            public void lost(EnvironmentName environment) {
            }

            @Override
            public void triggered(EnvironmentName environment) {
                triggered.add(environment.value());
            }
        });
        a.tick();
        for (int i = 0; i < 4; i++) {
            round(b, a);
        }
        String ofA = held(a).get(0);
        assertThat(b.holds(EnvironmentName.of(ofA))).isFalse();

        b.passOn(EnvironmentName.of(ofA));
        round(a);
        assertThat(triggered).containsExactly(ofA);
        round(a);
        assertThat(triggered).as("each trigger once").containsExactly(ofA);
    }

    @Test
    void aReplicaThatCannotReachTheLeasesStopsActingOnceItsLeaseRunsOut() {
        EnvironmentLeases a = replica("pod-a");
        a.tick();
        assertThat(held(a)).hasSize(4);
        server.failWhen(call -> call.path().contains("/leases"), 500, 100);

        round(a);
        assertThat(held(a)).as("still within its Lease").hasSize(4);
        round(a);
        assertThat(held(a)).as("duration - renew after the last renewal: no longer acts").isEmpty();
    }

    @Test
    void aLeaseRenewedAfterItRanOutHereCountsAsAcquiredAgainSoTheLoopRunsItsEnvironment() {
        EnvironmentLeases a = replica("pod-a");
        List<String> acquired = new CopyOnWriteArrayList<>();
        a.listener(new EnvironmentLeases.Listener() {
            @Override
            public void acquired(EnvironmentName environment) {
                acquired.add(environment.value());
            }

            @Override
            public void lost(EnvironmentName environment) {
            }

            @Override
            public void triggered(EnvironmentName environment) {
            }
        });
        a.tick();
        assertThat(acquired).containsExactlyElementsOf(ENVIRONMENTS);
        acquired.clear();
        round(a);
        assertThat(acquired).as("an ordinary renewal").isEmpty();

        clock.advance(DURATION.minus(RENEW)); // the next tick comes late (a loaded machine, many Leases)
        assertThat(held(a)).as("no longer acts on them, though nobody else took them").isEmpty();
        a.tick();
        assertThat(held(a)).hasSize(4);
        assertThat(acquired).as("the loop skipped them meanwhile: told to run them again").containsExactlyElementsOf(ENVIRONMENTS);
    }

    @Test
    void twoWritersOfOneLeaseCannotBothWin() throws Exception {
        LeaseStore store = clients.leases(server.writeKubeconfig(dir.resolve("kubeconfig")), "mock", "drawbridge-system");
        LeaseRecord first = store.create(new LeaseRecord("drawbridge-dev", "pod-a", 15, clock.instant(), clock.instant(), 0,
                Map.of(), null));
        assertThatThrownBy(() -> store.create(new LeaseRecord("drawbridge-dev", "pod-b", 15, clock.instant(),
                clock.instant(), 0, Map.of(), null)))
                .isInstanceOfSatisfying(LeaseStore.LeaseException.class, e -> assertThat(e.conflict()).isTrue());

        store.replace(first.withHolder("pod-a", 15, clock.instant().plusSeconds(5)));
        assertThatThrownBy(() -> store.replace(first.withHolder("pod-b", 15, clock.instant())))
                .as("a replace at a resourceVersion that changed since")
                .isInstanceOfSatisfying(LeaseStore.LeaseException.class, e -> assertThat(e.conflict()).isTrue());
        assertThat(store.read("drawbridge-dev").orElseThrow().holder()).isEqualTo("pod-a");
    }
}
