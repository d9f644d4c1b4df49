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

    private void apply(ConfigMap configMap) {
        server.client().configMaps().inNamespace("shop").resource(configMap).fieldManager("test").forceConflicts()
                .serverSideApply();
    }

    private static ConfigMap configMap(String value) {
        return new ConfigMapBuilder().withNewMetadata().withName("c").withNamespace("shop").endMetadata()
                .addToData("value", value).build();
    }
}
