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
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

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
    static final List<EnvironmentName> ENVIRONMENTS = java.util.stream.Stream.of("dev", "acceptance", "production", "staging")
            .map(EnvironmentName::of).toList();

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

    final List<EnvironmentLeases> started = new ArrayList<>();

    @AfterEach
    void closeReplicas() {
        started.forEach(EnvironmentLeases::close);
    }

    EnvironmentLeases replica(String identity) {
        Path kubeconfig = server.writeKubeconfig(dir.resolve("kubeconfig-" + identity));
        return started(new EnvironmentLeases(clients.leases(kubeconfig, "mock", "drawbridge-system"), identity, DURATION, RENEW,
                ENVIRONMENTS, clock));
    }

    EnvironmentLeases started(EnvironmentLeases replica) {
        started.add(replica);
        return replica;
    }

    LeaseStore store(String identity) {
        return clients.leases(server.writeKubeconfig(dir.resolve("kubeconfig-" + identity)), "mock", "drawbridge-system");
    }

    /** One renew period passes and every replica given ticks once. */
    void round(EnvironmentLeases... replicas) {
        clock.advance(RENEW);
        for (EnvironmentLeases r : replicas) {
            r.tick();
        }
    }

    /**
     * A replica's first two ticks, one renew period apart: it announces itself, then takes its share (a replica takes
     * nothing in its first renew period, so that replicas started beside it count each other first).
     */
    void startedAlone(EnvironmentLeases replica) {
        replica.tick();
        round(replica);
    }

    static List<EnvironmentName> held(EnvironmentLeases replica) {
        return ENVIRONMENTS.stream().filter(replica::holds).toList();
    }

    static void neverTwoHolders(EnvironmentLeases a, EnvironmentLeases b) {
        for (EnvironmentName env : ENVIRONMENTS) {
            assertThat(a.holds(env) && b.holds(env)).as(env + " held by both").isFalse();
        }
    }

    @Test
    void aReplicaAloneTakesEveryEnvironmentWithOneLeaseEachOneRenewPeriodAfterItStarted() {
        EnvironmentLeases a = replica("pod-a");
        a.tick();
        assertThat(held(a)).as("its first renew period: it announces itself and takes nothing yet").isEmpty();
        assertThat(server.client().leases().inNamespace("drawbridge-system").withName("drawbridge-replica-pod-a").get())
                .as("its own Lease, so that replicas started beside it count it").isNotNull();
        round(a);

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
    void replicasStartedTogetherEachTakeTheirShareOneRenewPeriodLaterAndHandNothingOver() {
        EnvironmentLeases a = replica("pod-a");
        EnvironmentLeases b = replica("pod-b");
        a.tick(); // started first: alone, it would have taken all four
        b.tick();
        assertThat(held(a)).as("nothing taken before the other replicas could announce themselves").isEmpty();
        assertThat(held(b)).isEmpty();

        round(a, b);
        assertThat(held(a)).as("its stripe: the first and third").containsExactly(ENVIRONMENTS.get(0), ENVIRONMENTS.get(2));
        assertThat(held(b)).containsExactly(ENVIRONMENTS.get(1), ENVIRONMENTS.get(3));
        round(a, b);
        round(a, b);
        assertThat(held(a)).hasSize(2);
        assertThat(held(b)).hasSize(2);
        List<Lease> leases = server.client().leases().inNamespace("drawbridge-system").list().getItems();
        assertThat(leases.stream().filter(l -> !l.getMetadata().getName().startsWith("drawbridge-replica-")))
                .as("each taken by the replica that holds it now, never handed over").hasSize(4)
                .allMatch(l -> l.getSpec().getLeaseTransitions() == 0);
    }

    @Test
    void aReplicaThatAnnouncedItselfWhileStartingTakesItsShareAtItsFirstTickOnceARenewPeriodHasPassed() {
        EnvironmentLeases a = replica("pod-a");
        EnvironmentLeases b = replica("pod-b");
        a.announce(); // while serve starts
        clock.advance(Duration.ofSeconds(2));
        b.announce();
        clock.advance(RENEW.minusSeconds(2)); // serve took longer than a renew period to start

        assertThat(a.untilSettled()).isEqualTo(Duration.ZERO);
        assertThat(b.untilSettled()).isEqualTo(Duration.ofSeconds(2));
        a.tick();
        b.tick();
        assertThat(held(a)).as("its wait ran while it started").containsExactly(ENVIRONMENTS.get(0), ENVIRONMENTS.get(2));
        assertThat(held(b)).as("announced 2 s later: waits those 2 s more").isEmpty();
        clock.advance(Duration.ofSeconds(2)); // serve ticks once more when the wait ends
        b.tick();
        assertThat(held(b)).containsExactly(ENVIRONMENTS.get(1), ENVIRONMENTS.get(3));
        round(a, b);
        assertThat(held(b)).containsExactly(ENVIRONMENTS.get(1), ENVIRONMENTS.get(3));
        assertThat(held(a)).hasSize(2);
    }

    @Test
    void replicasTakingTheirSharesAtTheSameMomentReachForDifferentLeases() throws Exception {
        List<EnvironmentName> many = environments(240);
        SlowStore storeA = new SlowStore(store("pod-a"), 0);
        SlowStore storeB = new SlowStore(store("pod-b"), 0);
        EnvironmentLeases a = started(new EnvironmentLeases(storeA, "pod-a", DURATION, RENEW, many, clock));
        EnvironmentLeases b = started(new EnvironmentLeases(storeB, "pod-b", DURATION, RENEW, many, clock));
        a.tick();
        b.tick();
        clock.advance(RENEW);
        storeA.writes.set(0);
        storeB.writes.set(0);

        // both rounds at once, as two pods started together tick
        java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
            List<java.util.concurrent.Future<?>> rounds = new ArrayList<>();
            for (EnvironmentLeases replica : List.of(a, b)) {
                rounds.add(two.submit(() -> {
                    together.await();
                    replica.tick();
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> r : rounds) {
                r.get(60, TimeUnit.SECONDS);
            }
        } finally {
            two.shutdownNow();
        }

        assertThat(many.stream().filter(a::holds)).as("half, in the one round").hasSize(120);
        assertThat(many.stream().filter(b::holds)).hasSize(120);
        assertThat(many).allMatch(env -> a.holds(env) ^ b.holds(env));
        assertThat(storeA.writes).as("its own Lease and the 120 it took: not one write lost to the other").hasValue(121);
        assertThat(storeB.writes).hasValue(121);
    }

    @Test
    void aReplicaThatStopsRenewingIsReplacedWithinTheDurationPlusOneRenewPeriod() {
        EnvironmentLeases a = replica("pod-a");
        EnvironmentLeases b = replica("pod-b");
        a.tick();
        for (int i = 0; i < 4; i++) {
            round(b, a);
        }
        List<EnvironmentName> ofA = held(a);
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
        List<EnvironmentName> triggered = new CopyOnWriteArrayList<>();
        a.listener(new EnvironmentLeases.Listener() {
            @Override
            public void acquired(EnvironmentName environment) {
            }

            @Override
            public void lost(EnvironmentName environment) {
            }

            @Override
            public void triggered(EnvironmentName environment) {
                triggered.add(environment);
            }
        });
        a.tick();
        for (int i = 0; i < 4; i++) {
            round(b, a);
        }
        EnvironmentName ofA = held(a).get(0);
        assertThat(b.holds(ofA)).isFalse();

        b.passOn(ofA);
        round(a);
        assertThat(triggered).containsExactly(ofA);
        round(a);
        assertThat(triggered).as("each trigger once").containsExactly(ofA);
    }

    @Test
    void aReplicaThatCannotReachTheLeasesStopsActingOnceItsLeaseRunsOut() {
        EnvironmentLeases a = replica("pod-a");
        startedAlone(a);
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
        List<EnvironmentName> acquired = new CopyOnWriteArrayList<>();
        a.listener(new EnvironmentLeases.Listener() {
            @Override
            public void acquired(EnvironmentName environment) {
                acquired.add(environment);
            }

            @Override
            public void lost(EnvironmentName environment) {
            }

            @Override
            public void triggered(EnvironmentName environment) {
            }
        });
        startedAlone(a);
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

    static List<EnvironmentName> environments(int count) {
        return IntStream.range(0, count).mapToObj(i -> EnvironmentName.of("e" + i)).toList();
    }

    @Test
    void aRoundOfRenewalsGoesOutConcurrentlySoItLastsTheRoundTripsDividedByTheWriters() {
        // each write takes 100 ms more than the mock needs: one after the other, 300 renewals are 30 s, six renew periods
        List<EnvironmentName> many = environments(300);
        SlowStore slow = new SlowStore(store("pod-a"), 100);
        EnvironmentLeases a = started(new EnvironmentLeases(slow, "pod-a", DURATION, RENEW, many, clock));
        startedAlone(a);
        assertThat(many).allMatch(a::holds);
        slow.writes.set(0);
        slow.mostInFlight.set(0);

        clock.advance(RENEW);
        long start = System.nanoTime();
        a.tick();
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(slow.writes).as("its own Lease and every environment's, renewed").hasValue(301);
        assertThat(slow.mostInFlight).as("writes in flight at once").hasValue(EnvironmentLeases.DEFAULT_WRITERS);
        // 19 batches of 16: about 2 s of round trips, plus what the mock takes on this (shared) machine
        assertThat(tookMillis).as("the round, in ms").isLessThan(RENEW.multipliedBy(2).toMillis());
        clock.advance(DURATION.minus(RENEW).minusSeconds(1));
        assertThat(many).as("each held from its own renewal").allMatch(a::holds);
    }

    @Test
    void twoReplicasOfManyEnvironmentsEndWithEachHeldByExactlyOneAndHalfByEach() {
        List<EnvironmentName> many = environments(240);
        EnvironmentLeases a = started(new EnvironmentLeases(store("pod-a"), "pod-a", DURATION, RENEW, many, clock));
        EnvironmentLeases b = started(new EnvironmentLeases(store("pod-b"), "pod-b", DURATION, RENEW, many, clock));
        startedAlone(a);
        assertThat(many).as("alone, it takes every one").allMatch(a::holds);
        for (int i = 0; i < 3; i++) {
            round(b, a); // b sees a second replica's share is 120; a lets 120 go; b takes them; both renew
            for (EnvironmentName env : many) {
                assertThat(a.holds(env) && b.holds(env)).as(env + " held by both").isFalse();
            }
        }

        assertThat(many).as("each held by one").allMatch(env -> a.holds(env) ^ b.holds(env));
        assertThat(many.stream().filter(a::holds)).hasSize(120);
        assertThat(many.stream().filter(b::holds)).hasSize(120);
        List<Lease> leases = server.client().leases().inNamespace("drawbridge-system").list().getItems();
        assertThat(leases.stream().filter(l -> l.getMetadata().getName().startsWith("drawbridge-e")))
                .as("one Lease per environment, held by the replica that acts on it").hasSize(240)
                .allMatch(l -> (a.holds(EnvironmentName.of(l.getMetadata().getName().substring("drawbridge-".length())))
                        ? "pod-a" : "pod-b").equals(l.getSpec().getHolderIdentity()));
    }

    @Test
    void aSlowRoundHoldsEachEnvironmentFromItsOwnRenewalAndTellsTheLoopOfThoseThatRanOutMeanwhile() {
        List<EnvironmentName> acquired = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicReference<EnvironmentLeases> replica = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.Set<EnvironmentName> renewed = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<EnvironmentName> notHeldWhileTheRoundWentOn = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean slow = new java.util.concurrent.atomic.AtomicBoolean();
        LeaseStore store = new SlowStore(store("pod-a"), 0) {
            @Override
            public LeaseRecord replace(LeaseRecord lease) throws LeaseException {
                if (slow.get()) {
                    renewed.forEach(env -> {
                        if (!replica.get().holds(env)) {
                            notHeldWhileTheRoundWentOn.add(env);
                        }
                    });
                    clock.advance(Duration.ofSeconds(1)); // each write takes a second: a loaded API server
                }
                LeaseRecord written = super.replace(lease);
                EnvironmentName env = EnvironmentName.of(lease.name().substring("drawbridge-".length()));
                if (ENVIRONMENTS.contains(env)) {
                    renewed.add(env);
                }
                return written;
            }
        };
        EnvironmentLeases a = started(new EnvironmentLeases(store, "pod-a", DURATION, RENEW, ENVIRONMENTS, clock, 1));
        replica.set(a);
        a.listener(new EnvironmentLeases.Listener() {
            @Override
            public void acquired(EnvironmentName environment) {
                acquired.add(environment);
            }

            @Override
            public void lost(EnvironmentName environment) {
            }

            @Override
            public void triggered(EnvironmentName environment) {
            }
        });
        startedAlone(a);
        acquired.clear();
        renewed.clear();

        clock.advance(Duration.ofSeconds(6)); // a late tick; 10 s after the first writes they run out here
        slow.set(true);
        a.tick(); // its own Lease at +6 s, then dev at +7 s, acceptance at +8 s, production at +9 s, staging at +10 s

        assertThat(notHeldWhileTheRoundWentOn).as("renewed ones stay held while the round goes on").isEmpty();
        assertThat(held(a)).containsExactlyElementsOf(ENVIRONMENTS);
        assertThat(acquired).as("those within a second of running out, or past it, before their renewal: run again")
                .containsExactly(ENVIRONMENTS.get(1), ENVIRONMENTS.get(2), ENVIRONMENTS.get(3));
    }

    @Test
    void aClosedReplicaStillTicksWithoutThrowingAndWhatItHeldRunsOut() {
        EnvironmentLeases a = replica("pod-a");
        startedAlone(a);
        a.close();

        round(a);
        assertThat(held(a)).as("not renewed, still within the Lease").hasSize(4);
        round(a);
        assertThat(held(a)).isEmpty();
    }

    /** The Lease API of the mock, each write {@code millis} slower; counts the writes and the most in flight at once. */
    static class SlowStore implements LeaseStore {
        final LeaseStore store;
        final long millis;
        final AtomicInteger writes = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger mostInFlight = new AtomicInteger();

        SlowStore(LeaseStore store, long millis) {
            this.store = store;
            this.millis = millis;
        }

        @Override
        public Optional<LeaseRecord> read(String name) throws LeaseException {
            return store.read(name);
        }

        @Override
        public List<LeaseRecord> list() throws LeaseException {
            return store.list();
        }

        @Override
        public LeaseRecord create(LeaseRecord lease) throws LeaseException {
            return slowly(() -> store.create(lease));
        }

        @Override
        public LeaseRecord replace(LeaseRecord lease) throws LeaseException {
            return slowly(() -> store.replace(lease));
        }

        interface Write {
            LeaseRecord run() throws LeaseException;
        }

        private LeaseRecord slowly(Write write) throws LeaseException {
            writes.incrementAndGet();
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(millis); // the round trip to a distant or busy API server
                return write.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LeaseException("interrupted", false, e);
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }
}
