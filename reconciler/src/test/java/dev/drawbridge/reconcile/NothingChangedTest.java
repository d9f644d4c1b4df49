package dev.drawbridge.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.apply.Action;
import dev.drawbridge.apply.ChangeSet;
import dev.drawbridge.apply.ChangeSetEntry;
import dev.drawbridge.apply.ApplyRequest;
import dev.drawbridge.apply.KubernetesApplier;
import dev.drawbridge.apply.LiveVersion;
import dev.drawbridge.apply.testing.ApplyingMockServer;
import dev.drawbridge.apply.testing.ApplyingMockServer.Call;
import dev.drawbridge.apply.testing.MutableClock;
import dev.drawbridge.apply.testing.TestObjects;
import dev.drawbridge.config.ClusterConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.values.CommitId;
import dev.drawbridge.values.EnvironmentName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Nothing changed, nothing done (docs/live-state.md): the apply stage answers with the last apply's change set,
 * without pinning, comparing or reading, only while the objects to apply and everything the watches see of them
 * stay the same, and for at most {@link ApplyStage#FULL_APPLY_EVERY}.
 */
class NothingChangedTest {

    static final EnvironmentConfig DEV = new EnvironmentConfig(EnvironmentName.of("dev"), "env/dev", "app", ClusterConfig.DEFAULT,
            true, Duration.ofMinutes(1), null, false, false, Duration.ofMinutes(5), List.of());
    static final ApplyStage.Desired DESIRED = new ApplyStage.Desired(CommitId.of("a".repeat(40)), "b".repeat(40),
            Map.of("harbor.example.com/shop/api:1.0", "harbor.example.com/shop/api@sha256:" + "c".repeat(64)), DEV);

    /** Requests other than the informers' lists and watches. */
    static final Predicate<Call> NOT_INFORMER = call -> !(call.method().equals("GET")
            && "app.kubernetes.io/managed-by=drawbridge".equals(call.param("labelSelector")));

    ApplyingMockServer server;
    MutableClock clock = MutableClock.atEpoch();
    KubernetesApplier applier;
    AtomicBoolean holds = new AtomicBoolean(true);
    ApplyStage stage;
    List<ObjectNode> shop = TestObjects.load("/apply/shop.yaml");
    AtomicInteger pinned = new AtomicInteger();

    @BeforeEach
    void start() {
        server = ApplyingMockServer.start();
        applier = new KubernetesApplier(server.client(), KubernetesApplier.Settings.defaults(), clock, clock::advance);
        stage = new ApplyStage(env -> applier, new Ownership() {
            @Override
            public boolean holds(EnvironmentName environment) {
                return holds.get();
            }

            @Override
            public void passOn(EnvironmentName environment) {
            }
        }, clock);
    }

    @AfterEach
    void stop() {
        applier.close();
        server.close();
    }

    @Test
    void anApplyThatFoundNothingToDoIsTheAnswerWhileNothingChangesWithoutAPinOrARequest() throws Exception {
        ChangeSet full = settled();
        server.clearRequests();
        int pins = pinned.get();

        ChangeSet again = apply(DESIRED);

        assertThat(again).isEqualTo(full);
        assertThat(again.count(Action.UNCHANGED)).isEqualTo(shop.size());
        assertThat(pinned.get()).as("not pinned").isEqualTo(pins);
        assertThat(server.requests()).filteredOn(NOT_INFORMER).as("nothing read, nothing written").isEmpty();
    }

    @Test
    void driftMadeBehindItsBackEndsTheShortcutAndIsUndone() throws Exception {
        settled();
        LiveVersion before = applier.liveVersion(DEV.name()).orElseThrow();

        server.client().apps().deployments().inNamespace("shop").withName("api").edit(d -> {
            d.getSpec().setReplicas(5);
            return d;
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> !applier.liveVersion(DEV.name()).equals(Optional.of(before)));
        int pins = pinned.get();
        ChangeSet changes = apply(DESIRED);

        assertThat(pinned.get()).isEqualTo(pins + 1);
        assertThat(changes.drifted()).extracting(ChangeSetEntry::id).containsExactly("Deployment/shop/api");
        assertThat(server.client().apps().deployments().inNamespace("shop").withName("api").get().getSpec().getReplicas())
                .isEqualTo(2);
    }

    @Test
    void anObjectDeletedBehindItsBackIsCreatedAgain() throws Exception {
        settled();
        LiveVersion before = applier.liveVersion(DEV.name()).orElseThrow();

        server.client().configMaps().inNamespace("shop").withName("api-config").delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> !applier.liveVersion(DEV.name()).equals(Optional.of(before)));
        ChangeSet changes = apply(DESIRED);

        assertThat(changes.find("ConfigMap/shop/api-config")).get().extracting(ChangeSetEntry::action).isEqualTo(Action.CREATED);
        assertThat(server.client().configMaps().inNamespace("shop").withName("api-config").get()).isNotNull();
    }

    @Test
    void whatAnotherEnvironmentAppliesDoesNotEndTheShortcut() throws Exception {
        settled();
        List<ObjectNode> other = TestObjects.parse("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: qa-config, namespace: shop}
                data: {LOG_LEVEL: debug}
                """);
        applier.apply(ApplyRequest.of(EnvironmentName.of("qa"), other));
        applier.apply(ApplyRequest.of(EnvironmentName.of("qa"), TestObjects.copy(other)));
        LiveVersion qa = applier.liveVersion(EnvironmentName.of("qa")).orElseThrow();
        server.client().configMaps().inNamespace("shop").withName("qa-config").edit(c -> {
            c.getData().put("LOG_LEVEL", "trace");
            return c;
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> !applier.liveVersion(EnvironmentName.of("qa")).equals(Optional.of(qa)));
        int pins = pinned.get();

        apply(DESIRED);

        assertThat(pinned.get()).as("dev was not applied again").isEqualTo(pins);
    }

    @Test
    void otherObjectsToApplyAreApplied() throws Exception {
        settled();
        int pins = pinned.get();

        apply(new ApplyStage.Desired(CommitId.of("d".repeat(40)), DESIRED.policyRevision(), DESIRED.pins(), DEV));
        apply(new ApplyStage.Desired(DESIRED.revision(), DESIRED.policyRevision(),
                Map.of("harbor.example.com/shop/api:1.0", "harbor.example.com/shop/api@sha256:" + "e".repeat(64)), DEV));

        assertThat(pinned.get()).isEqualTo(pins + 2);
    }

    @Test
    void atLeastEveryFiveMinutesTheApplyRunsInFullWhateverTheWatchesSay() throws Exception {
        settled();
        int pins = pinned.get();

        clock.advance(ApplyStage.FULL_APPLY_EVERY);
        apply(DESIRED);

        assertThat(pinned.get()).isEqualTo(pins + 1);
    }

    @Test
    void aReplicaThatLostTheLeaseDoesNotAnswerFromWhatItRemembers() throws Exception {
        settled();
        holds.set(false);

        assertThatThrownBy(() -> apply(DESIRED)).isInstanceOfSatisfying(StageFailure.class,
                failure -> assertThat(failure.reason()).isEqualTo(Reason.LEASE_LOST));
    }

    @Test
    void withoutWatchesEveryApplyRunsInFull() throws Exception {
        applier.close();
        applier = new KubernetesApplier(server.client(), KubernetesApplier.Settings.defaults().withWatch(false), clock,
                clock::advance);
        for (int i = 0; i < 3; i++) {
            apply(DESIRED);
        }

        assertThat(applier.liveVersion(DEV.name())).isEmpty();
        assertThat(pinned.get()).isEqualTo(3);
    }

    /** Applies until an apply is answered without pinning (the watches have echoed the first apply's writes). */
    @Test
    void theLiveStateIsReadAheadForANewRevisionOrPolicyNotForTheOneThatChangedNothing() throws Exception {
        settled();
        Predicate<Call> inventoryRead = call -> call.method().equals("GET")
                && call.path().endsWith("/configmaps/drawbridge-inventory-dev");

        server.clearRequests();
        stage.prefetch(DEV, DESIRED.revision(), DESIRED.policyRevision());
        ChangeSet same = apply(DESIRED);
        assertThat(same.hasChanges()).isFalse();
        assertThat(server.requests()).filteredOn(inventoryRead).as("the same revision and policy: nothing read ahead").isEmpty();

        CommitId next = CommitId.of("d".repeat(40));
        stage.prefetch(DEV, next, DESIRED.policyRevision());
        await().atMost(Duration.ofSeconds(10)).until(() -> server.requests().stream().anyMatch(inventoryRead));
        server.clearRequests();
        apply(new ApplyStage.Desired(next, DESIRED.policyRevision(), DESIRED.pins(), DEV));
        assertThat(server.requests()).filteredOn(inventoryRead).as("a new revision: its apply used what was read ahead").isEmpty();

        stage.prefetch(DEV, next, "e".repeat(40));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.requests().stream().anyMatch(inventoryRead));
    }

    private ChangeSet settled() throws Exception {
        apply(DESIRED);
        ChangeSet[] last = new ChangeSet[1];
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            int before = pinned.get();
            last[0] = apply(DESIRED);
            return pinned.get() == before;
        });
        assertThat(last[0].hasChanges()).isFalse();
        return last[0];
    }

    private ChangeSet apply(ApplyStage.Desired desired) throws StageFailure {
        return stage.apply(DEV, desired, () -> {
            pinned.incrementAndGet();
            return new PinStage.Pinned(TestObjects.copy(shop), null);
        });
    }
}
