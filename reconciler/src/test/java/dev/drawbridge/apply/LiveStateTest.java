package dev.drawbridge.apply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.apply.testing.ApplyingMockServer;
import dev.drawbridge.apply.testing.ApplyingMockServer.Call;
import dev.drawbridge.apply.testing.MutableClock;
import dev.drawbridge.apply.testing.TestObjects;
import dev.drawbridge.values.EnvironmentName;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Live state read from watches (docs/live-state.md): an informer per kind, its cache, and when it is not trusted. */
class LiveStateTest {

    static final List<String> SHOP_KINDS = List.of("v1 Namespace", "v1 ConfigMap", "v1 Service", "apps/v1 Deployment");
    static final ObjectRef API = new ObjectRef("apps/v1", "Deployment", "shop", "api");

    /** The informers' requests: a list or a watch of a kind in every namespace, selected by the managed-by label. */
    static final Predicate<Call> INFORMER = call -> call.method().equals("GET")
            && "app.kubernetes.io/managed-by=drawbridge".equals(call.param("labelSelector"));

    ApplyingMockServer server;
    MutableClock clock = MutableClock.atEpoch();
    KubernetesApplier applier;
    List<ObjectNode> shop = TestObjects.load("/apply/shop.yaml");

    @BeforeEach
    void start() {
        server = ApplyingMockServer.start();
        applier = new KubernetesApplier(server.client(), KubernetesApplier.Settings.defaults(), clock, clock::advance);
    }

    @AfterEach
    void stop() {
        applier.close();
        server.close();
    }

    @Test
    void aReconcileWithNothingChangedReadsItsObjectsFromTheWatchesAndOnlyItsInventoryFromTheServer() throws Exception {
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));
        awaitWatching(applier.liveCache());
        server.clearRequests();

        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), TestObjects.copy(shop)));

        assertThat(changes.count(Action.UNCHANGED)).isEqualTo(5);
        assertThat(server.requests()).filteredOn(INFORMER.negate()).singleElement()
                .satisfies(call -> assertThat(call.path()).isEqualTo("/api/v1/namespaces/drawbridge-system/configmaps/drawbridge-inventory-dev"));
        assertThat(applier.liveCache().watchedKinds()).containsExactlyInAnyOrderElementsOf(SHOP_KINDS);
    }

    @Test
    void driftMadeBehindItsBackArrivesByTheWatchAndTheNextReconcileUndoesIt() throws Exception {
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));
        awaitWatching(applier.liveCache());

        api().edit(d -> {
            d.getSpec().setReplicas(5);
            return d;
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> cached(API).path("spec").path("replicas").asInt() == 5);
        server.clearRequests();
        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));

        assertThat(changes.drifted()).containsExactly(new ChangeSetEntry("Deployment/shop/api", Action.CONFIGURED, true,
                "fabric8-kubernetes-client changed spec.replicas"));
        assertThat(api().get().getSpec().getReplicas()).isEqualTo(2);
        assertThat(server.requests()).filteredOn(call -> call.param("labelSelector") != null).filteredOn(INFORMER.negate())
                .as("no list: the drift came from the watch").isEmpty();
    }

    @Test
    void untilAKindsWatchHasListedItsObjectsAreListedAtEveryApply() throws Exception {
        server.failWhen(INFORMER, 500, Integer.MAX_VALUE);
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));
        api().edit(d -> {
            d.getSpec().setReplicas(5);
            return d;
        });
        server.clearRequests();

        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));

        assertThat(changes.drifted()).extracting(ChangeSetEntry::id).containsExactly("Deployment/shop/api");
        assertThat(api().get().getSpec().getReplicas()).isEqualTo(2);
        assertThat(server.requests()).filteredOn(call -> call.path().equals("/apis/apps/v1/namespaces/shop/deployments"))
                .singleElement().satisfies(list -> assertThat(list.param("labelSelector")).isEqualTo("drawbridge.dev/environment=dev"));
        assertThat(applier.liveCache().ready("apps/v1", "Deployment")).isEmpty();
    }

    @Test
    void aWatchTheServerRefusesIsNotTrustedAndIsStartedAgainLater() throws Exception {
        server.failWhen(INFORMER.and(call -> call.param("watch") != null), 403, Integer.MAX_VALUE);
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));
        LiveCache cache = applier.liveCache();
        await().atMost(Duration.ofSeconds(10)).until(() -> cache.watchedKinds().isEmpty()); // each listed, then refused

        server.clearRequests();
        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));

        assertThat(changes.count(Action.UNCHANGED)).isEqualTo(5);
        assertThat(server.requests()).filteredOn(call -> call.path().equals("/apis/apps/v1/namespaces/shop/deployments")).hasSize(1);

        server.clearFailures();
        clock.advance(LiveCache.RETRY_AFTER);
        awaitWatching(cache);
    }

    @Test
    void aWatchEventOlderThanItsOwnWriteNeverReplacesWhatTheWriteAnswered() throws Exception {
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));
        awaitWatching(applier.liveCache());

        for (int i = 3; i <= 6; i++) {
            int replicas = i;
            ChangeSet changed = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), TestObjects.with(shop, "Deployment", "api",
                    api -> ((ObjectNode) api.get("spec")).put("replicas", replicas))));
            assertThat(changed.find("Deployment/shop/api")).map(ChangeSetEntry::action).contains(Action.CONFIGURED);
            // at once, whether or not the watch delivered the write yet: nothing to do, nothing written
            server.clearRequests();
            ChangeSet again = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), TestObjects.with(shop, "Deployment", "api",
                    api -> ((ObjectNode) api.get("spec")).put("replicas", replicas))));
            assertThat(again.count(Action.UNCHANGED)).isEqualTo(5);
            assertThat(server.writes()).isEmpty();
        }
    }

    @Test
    void pruneReadsEachObjectLiveRightBeforeDeletingItWhateverTheCacheSays() throws Exception {
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));
        awaitWatching(applier.liveCache());
        // taken over by another environment; the cache may still say it is dev's
        server.client().apps().deployments().inNamespace("shop").withName("worker").edit(d -> {
            d.getMetadata().getLabels().put("drawbridge.dev/environment", "qa");
            return d;
        });
        server.clearRequests();

        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"),
                TestObjects.without(TestObjects.without(shop, "Deployment", "worker"), "ConfigMap", "api-config")));

        assertThat(changes.withAction(Action.DELETED)).extracting(ChangeSetEntry::id).containsExactly("ConfigMap/shop/api-config");
        assertThat(changes.find("Deployment/shop/worker")).map(ChangeSetEntry::action).contains(Action.SKIPPED);
        assertThat(server.client().apps().deployments().inNamespace("shop").withName("worker").get()).isNotNull();
        List<Call> requests = server.requests();
        String configMap = "/api/v1/namespaces/shop/configmaps/api-config";
        int get = indexOf(requests, call -> call.method().equals("GET") && call.path().equals(configMap));
        int delete = indexOf(requests, call -> call.method().equals("DELETE") && call.path().equals(configMap));
        assertThat(get).isNotNegative().isLessThan(delete);
        assertThat(requests).anyMatch(call -> call.method().equals("GET")
                && call.path().equals("/apis/apps/v1/namespaces/shop/deployments/worker"));
    }

    @Test
    void anObjectItDeletedIsReadLiveUntilTheWatchReportsItGone() throws Exception {
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));
        awaitWatching(applier.liveCache());
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), TestObjects.without(shop, "ConfigMap", "api-config")));

        // at once: the cache must not answer with the object as it was before the deletion
        ChangeSet back = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));

        assertThat(back.find("ConfigMap/shop/api-config")).map(ChangeSetEntry::action).contains(Action.CREATED);
        assertThat(server.client().configMaps().inNamespace("shop").withName("api-config").get()).isNotNull();
    }

    @Test
    void closingTheApplierStopsItsWatches() throws Exception {
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));
        LiveCache cache = applier.liveCache();
        awaitWatching(cache);

        applier.close();

        assertThat(cache.watchedKinds()).isEmpty();
        assertThat(cache.ready("v1", "ConfigMap")).isEmpty();
    }

    @Test
    void theAppliersOfOneClusterShareItsWatchesAndClosingTheClientsStopsThem(@TempDir Path dir) throws Exception {
        Path kubeconfig = server.writeKubeconfig(dir.resolve("kubeconfig"));
        LiveCache cache;
        try (KubernetesClients clients = new KubernetesClients()) {
            KubernetesApplier dev = clients.applier(kubeconfig, "mock", KubernetesApplier.Settings.defaults());
            KubernetesApplier qa = clients.applier(kubeconfig, "mock", KubernetesApplier.Settings.defaults());
            cache = dev.liveCache();
            assertThat(qa.liveCache()).isSameAs(cache);
            dev.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));
            awaitWatching(cache);
            qa.close(); // an applier does not stop the shared watches
            assertThat(cache.watchedKinds()).containsExactlyInAnyOrderElementsOf(SHOP_KINDS);
        }
        assertThat(cache.watchedKinds()).isEmpty();
    }

    @Test
    void theCacheKeepsNoFieldsNobodyReads() throws Exception {
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));
        awaitWatching(applier.liveCache());

        ObjectNode cached = cached(API);

        assertThat(cached.at("/metadata/managedFields")).isNotEmpty()
                .allSatisfy(entry -> assertThat(entry.has("fieldsV1")).isFalse());
        assertThat(cached.at("/metadata/labels/app.kubernetes.io~1managed-by").asText()).isEqualTo("drawbridge");
    }

    private ObjectNode cached(ObjectRef ref) {
        return applier.liveCache().ready(ref.apiVersion(), ref.kind()).orElseThrow().get(ref, "dev");
    }

    private static void awaitWatching(LiveCache cache) {
        await().atMost(Duration.ofSeconds(10)).until(() -> SHOP_KINDS.stream()
                .allMatch(kind -> cache.ready(kind.split(" ")[0], kind.split(" ")[1]).isPresent()));
    }

    private static int indexOf(List<Call> calls, Predicate<Call> matches) {
        for (int i = 0; i < calls.size(); i++) {
            if (matches.test(calls.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private RollableScalableResource<Deployment> api() {
        return server.client().apps().deployments().inNamespace("shop").withName("api");
    }
}
