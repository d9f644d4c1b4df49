package dev.drawbridge.apply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.values.EnvironmentName;
import dev.drawbridge.apply.testing.ApplyingMockServer;
import dev.drawbridge.apply.testing.CuttableProxy;
import dev.drawbridge.apply.testing.MutableClock;
import dev.drawbridge.apply.testing.TestObjects;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Watches broken mid-stream (docs/live-state.md): the client reaches the API server (the Fabric8 mock) through a
 * TCP proxy that the test cuts, as a network or a load balancer drops connections. While a kind's watch is down its
 * cache is not trusted (the apply lists instead); the informer lists and watches again, and what someone else
 * changed during the gap is in the cache before it is trusted again.
 */
class WatchBrokenTest {

    static final List<String> SHOP_KINDS = LiveStateTest.SHOP_KINDS;
    static final ObjectRef API = new ObjectRef("apps/v1", "Deployment", "shop", "api");
    static final ObjectRef API_CONFIG = new ObjectRef("v1", "ConfigMap", "shop", "api-config");

    ApplyingMockServer server;
    CuttableProxy proxy;
    KubernetesClient client;
    KubernetesApplier applier;
    MutableClock clock = MutableClock.atEpoch();
    List<ObjectNode> shop = TestObjects.load("/apply/shop.yaml");

    @BeforeEach
    void start() {
        server = ApplyingMockServer.start();
        proxy = CuttableProxy.to(server.url());
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(server.client().getConfiguration())
                .withMasterUrl(proxy.url(server.url())).build()).build();
        applier = new KubernetesApplier(client, KubernetesApplier.Settings.defaults(), clock, clock::advance);
    }

    @AfterEach
    void stop() {
        applier.close();
        client.close();
        proxy.close();
        server.close();
    }

    @Test
    void aWatchCutMidStreamIsListedAgainAndWhatChangedOrWasDeletedInTheGapIsCachedBeforeItIsTrustedAgain() throws Exception {
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));
        LiveCache cache = applier.liveCache();
        awaitWatching(cache);
        int connections = proxy.accepted();

        proxy.down(); // every connection closed mid-stream, the watches' among them; no new one gets through
        await().atMost(Duration.ofSeconds(10)).until(() -> SHOP_KINDS.stream().noneMatch(kind -> ready(cache, kind)));
        // someone else changes the cluster during the gap, straight at the API server
        changeApiBehindItsBack();
        server.client().configMaps().inNamespace("shop").withName("api-config").delete();
        assertThat(cache.ready("apps/v1", "Deployment")).as("not watching: not trusted, the apply lists").isEmpty();

        proxy.up();
        await().atMost(Duration.ofSeconds(30)).until(() -> ready(cache, "apps/v1 Deployment") && ready(cache, "v1 ConfigMap"));

        // the moment it is trusted again it holds what changed in the gap (listed again, not only watched again)
        ObjectNode api = cache.ready("apps/v1", "Deployment").orElseThrow().get(API, "dev");
        assertThat(api.at("/spec/replicas").asInt()).isEqualTo(5);
        assertThat(api.at("/metadata/annotations/example.com~1changed-by").asText()).isEqualTo("someone-else");
        assertThat(cache.ready("v1", "ConfigMap").orElseThrow().get(API_CONFIG, "dev")).as("deleted in the gap").isNull();
        assertThat(proxy.accepted()).as("reconnected").isGreaterThan(connections);

        awaitWatching(cache);
        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));

        assertThat(changes.drifted()).extracting(ChangeSetEntry::id).containsExactly("Deployment/shop/api");
        assertThat(changes.find("ConfigMap/shop/api-config")).map(ChangeSetEntry::action).contains(Action.CREATED);
        assertThat(api().get().getSpec().getReplicas()).isEqualTo(2);
        assertThat(server.client().configMaps().inNamespace("shop").withName("api-config").get()).isNotNull();
    }

    @Test
    void aReconcileRightAfterACutDecidesOnWhatTheServerHoldsWhetherOrNotTheWatchIsBack() throws Exception {
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));
        awaitWatching(applier.liveCache());

        proxy.down();
        await().atMost(Duration.ofSeconds(10)).until(() -> !ready(applier.liveCache(), "apps/v1 Deployment"));
        api().edit(d -> {
            d.getSpec().setReplicas(5);
            return d;
        });
        proxy.up(); // the watch reconnects in its own time; the reconcile does not wait for it
        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));

        assertThat(changes.drifted()).extracting(ChangeSetEntry::id).containsExactly("Deployment/shop/api");
        assertThat(api().get().getSpec().getReplicas()).isEqualTo(2);
    }

    private void changeApiBehindItsBack() {
        api().edit(d -> {
            d.getSpec().setReplicas(5);
            Map<String, String> annotations = new HashMap<>();
            if (d.getMetadata().getAnnotations() != null) {
                annotations.putAll(d.getMetadata().getAnnotations());
            }
            annotations.put("example.com/changed-by", "someone-else");
            d.getMetadata().setAnnotations(annotations);
            return d;
        });
    }

    private static boolean ready(LiveCache cache, String kind) {
        return cache.ready(kind.split(" ")[0], kind.split(" ")[1]).isPresent();
    }

    private static void awaitWatching(LiveCache cache) {
        await().atMost(Duration.ofSeconds(30)).until(() -> SHOP_KINDS.stream().allMatch(kind -> ready(cache, kind)));
    }

    private RollableScalableResource<Deployment> api() {
        return server.client().apps().deployments().inNamespace("shop").withName("api");
    }
}
