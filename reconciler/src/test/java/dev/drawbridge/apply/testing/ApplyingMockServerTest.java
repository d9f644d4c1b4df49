package dev.drawbridge.apply.testing;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test API server itself: apply, dry run, recording, injected failures. */
class ApplyingMockServerTest {

    ApplyingMockServer server;

    @BeforeEach
    void start() {
        server = ApplyingMockServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anApplyCreatesAnAbsentObjectAndReplacesAPresentOne() {
        apply(configMap("one"));
        apply(new ConfigMapBuilder(configMap("two")).build());

        ConfigMap live = server.client().configMaps().inNamespace("shop").withName("c").get();
        assertThat(live.getData()).containsOnly(java.util.Map.entry("value", "two"));
        assertThat(server.applies()).hasSize(2).allSatisfy(call -> {
            assertThat(call.fieldManager()).isEqualTo("test");
            assertThat(call.force()).isTrue();
        });
    }

    @Test
    void aWatchSeesEveryApplyAndNotADryRun() throws Exception {
        java.util.List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (io.fabric8.kubernetes.client.Watch watch = server.client().configMaps().inNamespace("shop")
                .watch(new io.fabric8.kubernetes.client.Watcher<ConfigMap>() {
                    @Override
                    public void eventReceived(Action action, ConfigMap resource) {
                        events.add(action + " " + resource.getData().get("value"));
                    }

                    @Override
                    public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
                    }
                })) {
            apply(configMap("one"));
            server.client().configMaps().inNamespace("shop").resource(configMap("dry")).dryRun()
                    .fieldManager("test").forceConflicts().serverSideApply();
            apply(configMap("two"));

            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> events.size() >= 2);
            assertThat(events).containsExactly("ADDED one", "MODIFIED two");
        }
    }

    @Test
    void aDryRunApplyStoresNothing() {
        server.client().configMaps().inNamespace("shop").resource(configMap("one")).dryRun()
                .fieldManager("test").forceConflicts().serverSideApply();

        assertThat(server.client().configMaps().inNamespace("shop").withName("c").get()).isNull();
        assertThat(server.applies()).singleElement().satisfies(call -> assertThat(call.isDryRun()).isTrue());
    }

    @Test
    void answersTheInjectedStatusAsOftenAsAsked() {
        server.conflictOnceOnApplyOf("/configmaps/c");

        assertThatThrownBy(() -> apply(configMap("one")))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
        apply(configMap("one"));
        assertThat(server.client().configMaps().inNamespace("shop").withName("c").get()).isNotNull();
        assertThat(server.writes()).hasSize(2);
    }

    @Test
    void anApplyKeepsWhatAnotherFieldManagerAddedAsTheRealApiServerDoes() {
        apply(configMap("one"));
        patch("[{\"op\": \"add\", \"path\": \"/data/extra\", \"value\": \"by hand\"}]", "kubectl-edit");

        apply(configMap("two"));

        ConfigMap live = server.client().configMaps().inNamespace("shop").withName("c").get();
        assertThat(live.getData()).containsEntry("value", "two").containsEntry("extra", "by hand");
        assertThat(live.getMetadata().getManagedFields()).extracting(f -> f.getManager() + " " + f.getOperation())
                .containsExactlyInAnyOrder("test Apply", "kubectl-edit Update");
        assertThat(managedFields(live, "kubectl-edit")).isEqualTo("{\"f:data\":{\"f:extra\":{}}}");
        assertThat(managedFields(live, "test")).isEqualTo("{\"f:data\":{\"f:value\":{}}}");
    }

    @Test
    void anApplyRemovesWhatItNoLongerAppliesWhenNobodyElseOwnsIt() {
        apply(new ConfigMapBuilder(configMap("one")).addToData("old", "x").build());

        apply(configMap("one"));

        assertThat(server.client().configMaps().inNamespace("shop").withName("c").get().getData()).containsOnlyKeys("value");
    }

    @Test
    void anUpdateTakesTheFieldsItChangedFromTheApplier() {
        apply(configMap("one"));

        patch("[{\"op\": \"replace\", \"path\": \"/data/value\", \"value\": \"edited\"}]", "kubectl-edit");

        ConfigMap live = server.client().configMaps().inNamespace("shop").withName("c").get();
        assertThat(managedFields(live, "kubectl-edit")).isEqualTo("{\"f:data\":{\"f:value\":{}}}");
        assertThat(live.getMetadata().getManagedFields()).extracting(f -> f.getManager()).containsExactly("kubectl-edit");
    }

    @Test
    void aJsonPatchWhoseTestFailsChangesNothing() {
        apply(configMap("one"));

        assertThatThrownBy(() -> patch("[{\"op\": \"test\", \"path\": \"/metadata/resourceVersion\", \"value\": \"0\"},"
                + "{\"op\": \"remove\", \"path\": \"/data/value\"}]", "drawbridge"))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
        assertThat(server.client().configMaps().inNamespace("shop").withName("c").get().getData()).containsKey("value");
    }

    @Test
    void anUpdateWithoutAFieldManagerIsRecordedUnderItsUserAgent() {
        apply(configMap("one"));

        server.client().configMaps().inNamespace("shop").withName("c").edit(c -> {
            c.getData().put("value", "edited");
            return c;
        });

        assertThat(server.client().configMaps().inNamespace("shop").withName("c").get().getMetadata().getManagedFields())
                .extracting(f -> f.getManager()).containsExactly("fabric8-kubernetes-client");
    }

    private void patch(String jsonPatch, String manager) {
        io.fabric8.kubernetes.client.dsl.base.PatchContext context =
                io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON);
        context.setFieldManager(manager);
        server.client().configMaps().inNamespace("shop").withName("c").patch(context, jsonPatch);
    }

    private static String managedFields(ConfigMap live, String manager) {
        return live.getMetadata().getManagedFields().stream().filter(f -> f.getManager().equals(manager)).findFirst()
                .map(f -> new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(f.getFieldsV1().getAdditionalProperties()).toString())
                .orElseThrow();
    }

    private void apply(ConfigMap configMap) {
        server.client().configMaps().inNamespace("shop").resource(configMap).fieldManager("test").forceConflicts()
                .serverSideApply();
    }

    @Test
    void aWatchClosedWhileEventsAreBeingSentDoesNotStopTheServer() throws Exception {
        io.fabric8.kubernetes.client.KubernetesClient writer = server.client();
        try (io.fabric8.kubernetes.client.KubernetesClient watching = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(writer.getConfiguration()).build()) {
            io.fabric8.kubernetes.client.Watch watch = watching.configMaps().inNamespace("w").watch(
                    new io.fabric8.kubernetes.client.Watcher<>() {
                        @Override
                        public void eventReceived(Action action, ConfigMap resource) {
                        }

                        @Override
                        public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
                        }
                    });
            java.util.concurrent.ExecutorService writes = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                for (int i = 0; i < 400; i++) { // events in flight when the watch closes
                    String name = "c" + i;
                    writes.submit(() -> writer.configMaps().inNamespace("w").resource(new ConfigMapBuilder()
                            .withNewMetadata().withName(name).endMetadata().addToData("k", "v".repeat(2000)).build()).create());
                }
                Thread.sleep(300);
                watch.close();
                Thread.sleep(2000); // the close reaches the server

                long start = System.nanoTime();
                writer.configMaps().inNamespace("w").withName("absent").get();
                assertThat(java.time.Duration.ofNanos(System.nanoTime() - start))
                        .as("the mock's own close waited up to a minute for its sender, which waited for the server")
                        .isLessThan(java.time.Duration.ofSeconds(5));
            } finally {
                writes.shutdownNow();
            }
        }
    }

    private static ConfigMap configMap(String value) {
        return new ConfigMapBuilder().withNewMetadata().withName("c").withNamespace("shop").endMetadata()
                .addToData("value", value).build();
    }
}
