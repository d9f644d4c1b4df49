package dev.drawbridge.apply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.apply.testing.TestObjects;
import dev.drawbridge.values.EnvironmentName;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApplyTest extends MockClusterTest {

    static final String API_IMAGE =
            "registry.example.com/shop/api@sha256:1111111111111111111111111111111111111111111111111111111111111111";

    List<ObjectNode> shop = TestObjects.load("/apply/shop.yaml");

    @Test
    void createsTheObjectsWithBothOwnershipLabelsAndTheImagesAsGiven() throws Exception {
        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));

        assertThat(changes.entries()).extracting(ChangeSetEntry::id).containsExactly(
                "Namespace/shop", "ConfigMap/shop/api-config", "Service/shop/api", "Deployment/shop/api",
                "Deployment/shop/worker");
        assertThat(changes.count(Action.CREATED)).isEqualTo(5);
        assertThat(changes.drifted()).isEmpty();

        Deployment api = server.client().apps().deployments().inNamespace("shop").withName("api").get();
        assertThat(api.getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/managed-by", "drawbridge")
                .containsEntry("drawbridge.dev/environment", "dev")
                .containsEntry("drawbridge.dev/owner", "team-shop");
        assertThat(api.getMetadata().getAnnotations()).containsKey("drawbridge.dev/applied-hash");
        assertThat(api.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(API_IMAGE);
        assertThat(server.client().namespaces().withName("shop").get().getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/managed-by", "drawbridge")
                .containsEntry("drawbridge.dev/managed", "true");
    }

    @Test
    void recordsWhatItAppliedInTheEnvironmentsInventory() throws Exception {
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));

        assertThat(server.client().namespaces().withName("drawbridge-system").get()).isNotNull();
        ConfigMap inventory = server.client().configMaps().inNamespace("drawbridge-system")
                .withName("drawbridge-inventory-dev").get();
        assertThat(inventory.getData().get("inventory.json"))
                .contains("\"kind\" : \"Deployment\"", "\"namespace\" : \"shop\"", "\"name\" : \"worker\"",
                        "\"apiVersion\" : \"apps/v1\"");
        assertThat(inventory.getMetadata().getLabels()).containsEntry("drawbridge.dev/environment", "dev");
    }

    @Test
    void doesNotModifyTheObjectsItIsGiven() throws Exception {
        List<ObjectNode> given = TestObjects.copy(shop);
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), given));
        assertThat(given).isEqualTo(shop);
    }

    @Test
    void appliesOnlyTheObjectsThatChanged() throws Exception {
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));
        server.clearRequests();

        List<ObjectNode> changed = TestObjects.with(shop, "Deployment", "worker", worker -> ((ObjectNode) worker
                .at("/spec/template/spec/containers/0")).put("image", "registry.example.com/shop/worker@sha256:" + "4".repeat(64)));
        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), changed));

        assertThat(changes.find("Deployment/shop/worker")).contains(new ChangeSetEntry("Deployment/shop/worker", Action.CONFIGURED, false));
        assertThat(changes.count(Action.UNCHANGED)).isEqualTo(4);
        assertThat(changes.writes()).isEqualTo(1);
        assertThat(server.writes()).singleElement()
                .satisfies(call -> assertThat(call.path()).isEqualTo("/apis/apps/v1/namespaces/shop/deployments/worker"));
    }

    @Test
    void writesNothingWhenNothingChanged() throws Exception {
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));
        server.clearRequests();

        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), TestObjects.copy(shop)));

        assertThat(changes.count(Action.UNCHANGED)).isEqualTo(5);
        assertThat(changes.writes()).isZero();
        assertThat(changes.hasChanges()).isFalse();
        assertThat(server.writes()).isEmpty();
        assertThat(server.requests()).isNotEmpty().allSatisfy(call -> assertThat(call.method()).isEqualTo("GET"));
        // the two Deployments are read with one labelled list, not one by one
        assertThat(server.requests()).filteredOn(call -> call.path().startsWith("/apis/apps/v1/namespaces/shop/deployments"))
                .singleElement().satisfies(list -> assertThat(list.path()).isEqualTo("/apis/apps/v1/namespaces/shop/deployments"));
    }

    @Test
    void readsTheLiveObjectsWithOneLabelledListPerKindAndNamespaceAndSeesALiveEdit() throws Exception {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            yaml.append("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings-").append(i)
                    .append(", namespace: shop}\ndata: {level: \"").append(i).append("\"}\n");
        }
        List<ObjectNode> settings = TestObjects.parse(yaml.toString());
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), settings));
        server.client().configMaps().inNamespace("shop").withName("settings-4")
                .edit(live -> { live.getData().put("level", "edited"); return live; });
        server.clearRequests();

        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), TestObjects.copy(settings)));

        assertThat(changes.count(Action.UNCHANGED)).isEqualTo(5);
        assertThat(changes.find("ConfigMap/shop/settings-4")).contains(new ChangeSetEntry("ConfigMap/shop/settings-4",
                Action.CONFIGURED, true, "fabric8-kubernetes-client changed data.level"));
        assertThat(server.requests()).filteredOn(call -> call.path().startsWith("/api/v1/namespaces/shop/configmaps"))
                .filteredOn(call -> call.method().equals("GET"))
                .singleElement().satisfies(list -> {
                    assertThat(list.path()).isEqualTo("/api/v1/namespaces/shop/configmaps");
                    assertThat(list.query()).containsEntry("labelSelector", List.of("drawbridge.dev/environment=dev"));
                });
    }

    @Test
    void appliesServerSideWithTheDrawbridgeFieldManagerAndForcedConflicts() throws Exception {
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));

        // The five objects, the inventory namespace and the inventory: all server-side applies, nothing else.
        assertThat(server.writes()).hasSize(7).allSatisfy(call -> {
            assertThat(call.method()).isEqualTo("PATCH");
            assertThat(call.contentType()).startsWith("application/apply-patch+yaml");
            assertThat(call.fieldManager()).isEqualTo("drawbridge");
            assertThat(call.force()).isTrue();
            assertThat(call.isDryRun()).isFalse();
        });
        assertThat(server.applies()).filteredOn(call -> call.path().endsWith("/deployments/api")).singleElement()
                .satisfies(call -> assertThat(call.bodyTree().at("/metadata/labels/drawbridge.dev~1environment").asText())
                        .isEqualTo("dev"));
    }

    @Test
    void retriesOnceAfterAConflict() throws Exception {
        server.conflictOnceOnApplyOf("/namespaces/shop/deployments/api");

        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));

        assertThat(changes.find("Deployment/shop/api")).map(ChangeSetEntry::action).contains(Action.CREATED);
        assertThat(server.applies()).filteredOn(call -> call.path().endsWith("/deployments/api")).hasSize(2);
    }

    @Test
    void reportsTheObjectWhoseApplyFailed() {
        server.failApplyOf("/namespaces/shop/deployments/worker", 500);

        assertThatThrownBy(() -> applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop)))
                .isInstanceOfSatisfying(ApplyException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ApplyException.Reason.APPLY_FAILED);
                    assertThat(e.objectIds()).containsExactly("Deployment/shop/worker");
                    assertThat(e.getMessage()).startsWith("Deployment/shop/worker: apply failed: 500");
                    assertThat(e.changeSet().count(Action.CREATED)).isEqualTo(4);
                });
    }

    @Test
    void refusesAnObjectWithoutANameBeforeWritingAnything() {
        List<ObjectNode> broken = TestObjects.with(shop, "ConfigMap", "api-config",
                configMap -> ((ObjectNode) configMap.get("metadata")).remove("name"));

        assertThatThrownBy(() -> applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), broken)))
                .isInstanceOfSatisfying(ApplyException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ApplyException.Reason.INVALID_OBJECT);
                    assertThat(e.getMessage()).contains("object #2 (ConfigMap): no metadata.name");
                });
        assertThat(server.writes()).isEmpty();
    }

    @Test
    void refusesAnObjectThatAnotherEnvironmentApplied() throws Exception {
        applier.apply(ApplyRequest.of(EnvironmentName.of("acceptance"), shop));

        assertThatThrownBy(() -> applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop)))
                .isInstanceOfSatisfying(ApplyException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ApplyException.Reason.APPLY_FAILED);
                    assertThat(e.getMessage()).startsWith("Namespace/shop: belongs to environment acceptance");
                });
    }

    @Test
    void putsObjectsWithoutANamespaceInTheDefaultNamespace() throws Exception {
        List<ObjectNode> objects = TestObjects.parse("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings}
                data: {a: "1"}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: reader, namespace: ignored}
                rules: []
                """);
        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), objects));

        assertThat(changes.entries()).extracting(ChangeSetEntry::id)
                .containsExactly("ClusterRole/reader", "ConfigMap/test/settings");
    }

    @Test
    void foldsSecretStringDataIntoDataSoThatASecondApplyIsUnchanged() throws Exception {
        List<ObjectNode> objects = TestObjects.parse("""
                apiVersion: v1
                kind: Secret
                metadata: {name: creds, namespace: shop}
                stringData: {password: hunter2}
                """);
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), objects));
        server.clearRequests();

        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), objects));

        assertThat(changes.count(Action.UNCHANGED)).isEqualTo(1);
        assertThat(server.writes()).isEmpty();
    }
}
