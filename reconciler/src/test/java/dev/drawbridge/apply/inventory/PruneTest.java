package dev.drawbridge.apply.inventory;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.apply.Action;
import dev.drawbridge.apply.ApplyException;
import dev.drawbridge.apply.ApplyRequest;
import dev.drawbridge.apply.ChangeSet;
import dev.drawbridge.apply.ChangeSetEntry;
import dev.drawbridge.apply.MockClusterTest;
import dev.drawbridge.apply.testing.ApplyingMockServer;
import dev.drawbridge.apply.testing.TestObjects;
import dev.drawbridge.values.EnvironmentName;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PruneTest extends MockClusterTest {

    List<ObjectNode> shop = TestObjects.load("/apply/shop.yaml");

    @Test
    void deletesAnObjectThatLeftGitAndKeepsAnUnmanagedNeighbour() throws Exception {
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));
        createConfigMap("hand-made", false);

        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), TestObjects.without(shop, "ConfigMap", "api-config")));

        assertThat(changes.withAction(Action.DELETED)).containsExactly(
                new ChangeSetEntry("ConfigMap/shop/api-config", Action.DELETED, false));
        assertThat(configMap("api-config")).isNull();
        assertThat(configMap("hand-made")).isNotNull();
        assertThat(inventory()).doesNotContain("api-config").contains("worker");
    }

    @Test
    void neverDeletesAnObjectThatIsNotInTheInventory() throws Exception {
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));
        // Labelled as if Drawbridge had applied it for this environment, but not in the inventory.
        createConfigMap("look-alike", true);

        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), TestObjects.without(shop, "ConfigMap", "api-config")));

        assertThat(changes.withAction(Action.DELETED)).extracting(ChangeSetEntry::id).containsExactly("ConfigMap/shop/api-config");
        assertThat(configMap("look-alike")).isNotNull();
        assertThat(server.writes()).filteredOn(call -> call.method().equals("DELETE")).singleElement()
                .satisfies(call -> assertThat(call.path()).endsWith("/configmaps/api-config"));
    }

    @Test
    void neverDeletesAForeignObjectThatAForgedInventoryNames() throws Exception {
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));
        createConfigMap("payroll", false);
        // Someone with write access to drawbridge-system adds a foreign object to the inventory.
        server.client().configMaps().inNamespace("drawbridge-system").withName("drawbridge-inventory-dev").edit(cm -> {
            String forged = cm.getData().get("inventory.json").replaceFirst("\\[",
                    "[ {\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"namespace\": \"shop\", \"name\": \"payroll\"},");
            cm.getData().put("inventory.json", forged);
            return cm;
        });

        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));

        assertThat(configMap("payroll")).isNotNull();
        assertThat(changes.find("ConfigMap/shop/payroll")).contains(new ChangeSetEntry("ConfigMap/shop/payroll",
                Action.SKIPPED, false, "not pruned: label app.kubernetes.io/managed-by is missing"));
        assertThat(changes.find("ConfigMap/shop/payroll").orElseThrow().toString())
                .isEqualTo("ConfigMap/shop/payroll skipped: not pruned: label app.kubernetes.io/managed-by is missing");
        assertThat(server.writes()).extracting(ApplyingMockServer.Call::method).doesNotContain("DELETE");
        assertThat(inventory()).doesNotContain("payroll").contains("api-config");
    }

    @Test
    void neverDeletesAnObjectWhoseOwnershipLabelsWereRemovedLive() throws Exception {
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));
        server.client().configMaps().inNamespace("shop").withName("api-config").edit(cm -> {
            cm.getMetadata().getLabels().remove("app.kubernetes.io/managed-by");
            cm.getMetadata().getLabels().remove("drawbridge.dev/environment");
            return cm;
        });
        server.clearRequests();

        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), TestObjects.without(shop, "ConfigMap", "api-config")));

        assertThat(configMap("api-config")).isNotNull();
        assertThat(changes.find("ConfigMap/shop/api-config")).map(ChangeSetEntry::action).contains(Action.SKIPPED);
        assertThat(changes.withAction(Action.DELETED)).isEmpty();
        assertThat(server.writes()).extracting(ApplyingMockServer.Call::method).doesNotContain("DELETE");
        assertThat(inventory()).doesNotContain("api-config");
    }

    @Test
    void neverDeletesAnObjectThatOnlyKeptTheEnvironmentLabel() throws Exception {
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));
        server.client().configMaps().inNamespace("shop").withName("api-config").edit(cm -> {
            cm.getMetadata().getLabels().put("app.kubernetes.io/managed-by", "helm");
            return cm;
        });

        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), TestObjects.without(shop, "ConfigMap", "api-config")));

        assertThat(configMap("api-config")).isNotNull();
        assertThat(changes.find("ConfigMap/shop/api-config")).map(ChangeSetEntry::detail)
                .contains("not pruned: label app.kubernetes.io/managed-by is helm");
    }

    @Test
    void neverDeletesAnObjectNowLabelledForAnotherEnvironment() throws Exception {
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));
        server.client().configMaps().inNamespace("shop").withName("api-config").edit(cm -> {
            cm.getMetadata().getLabels().put("drawbridge.dev/environment", "production");
            return cm;
        });

        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), TestObjects.without(shop, "ConfigMap", "api-config")));

        assertThat(configMap("api-config")).isNotNull();
        assertThat(changes.find("ConfigMap/shop/api-config")).map(ChangeSetEntry::detail)
                .contains("not pruned: belongs to environment production (label drawbridge.dev/environment)");
    }

    @Test
    void prunesNothingAndKeepsTheInventoryWhenAnApplyFails() throws Exception {
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));
        String inventoryBefore = inventory();
        server.clearRequests();
        server.failApplyOf("/namespaces/shop/deployments/worker", 500);
        List<ObjectNode> next = TestObjects.with(TestObjects.without(shop, "ConfigMap", "api-config"), "Deployment", "worker",
                worker -> ((ObjectNode) worker.get("spec")).put("replicas", 3));

        assertThatThrownBy(() -> applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), next)))
                .isInstanceOfSatisfying(ApplyException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ApplyException.Reason.APPLY_FAILED);
                    assertThat(e.objectId()).isEqualTo("Deployment/shop/worker");
                    assertThat(e.getMessage()).startsWith("Deployment/shop/worker: apply failed: 500");
                    assertThat(e.changeSet().withAction(Action.DELETED)).isEmpty();
                });
        assertThat(configMap("api-config")).isNotNull();
        assertThat(inventory()).isEqualTo(inventoryBefore);
        assertThat(server.writes()).extracting(ApplyingMockServer.Call::method).doesNotContain("DELETE");
    }

    @Test
    void keepsTracksOfWhatAFailedApplyCreatedSoItIsNotOrphaned() throws Exception {
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));
        server.failApplyOf("/namespaces/shop/deployments/worker", 500);
        List<ObjectNode> next = new java.util.ArrayList<>(TestObjects.with(shop, "Deployment", "worker",
                worker -> ((ObjectNode) worker.get("spec")).put("replicas", 3)));
        next.addAll(TestObjects.parse("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: new-config, namespace: shop}
                """));

        assertThatThrownBy(() -> applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), next))).isInstanceOf(ApplyException.class);

        assertThat(inventory()).contains("new-config", "api-config", "worker");
    }

    @Test
    void keepsObjectsWhoseDeletionFailedInTheInventoryAndPrunesThemLater() throws Exception {
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));
        server.failDeleteOf("/namespaces/shop/configmaps/api-config", 500);
        List<ObjectNode> next = TestObjects.without(TestObjects.without(shop, "ConfigMap", "api-config"),
                "Deployment", "worker");

        assertThatThrownBy(() -> applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), next)))
                .isInstanceOfSatisfying(ApplyException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ApplyException.Reason.PRUNE_FAILED);
                    assertThat(e.objectIds()).containsExactly("ConfigMap/shop/api-config");
                    assertThat(e.changeSet().withAction(Action.DELETED)).extracting(ChangeSetEntry::id)
                            .containsExactly("Deployment/shop/worker");
                });
        assertThat(inventory()).contains("api-config").doesNotContain("worker");

        server.clearFailures();
        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), next));
        assertThat(changes.withAction(Action.DELETED)).extracting(ChangeSetEntry::id).containsExactly("ConfigMap/shop/api-config");
        assertThat(configMap("api-config")).isNull();
        assertThat(inventory()).doesNotContain("api-config");
    }

    @Test
    void refusesAnEmptyDesiredSetUnlessAllowed() throws Exception {
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));
        server.clearRequests();

        assertThatThrownBy(() -> applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), List.of())))
                .isInstanceOfSatisfying(ApplyException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ApplyException.Reason.EMPTY_DESIRED_SET);
                    assertThat(e.getMessage()).contains("dev: the desired set is empty", "prune 5 objects");
                });
        assertThat(server.writes()).isEmpty();

        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), List.of()).withAllowEmpty(true));
        assertThat(changes.count(Action.DELETED)).isEqualTo(5);
        assertThat(server.client().apps().deployments().inNamespace("shop").list().getItems()).isEmpty();
        assertThat(inventory()).isEqualTo("[ ]");
    }

    @Test
    void refusesADesiredSetThatWouldPruneEveryObjectOfTheEnvironment() throws Exception {
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));
        server.clearRequests();
        List<ObjectNode> somethingElse = TestObjects.parse("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: unrelated, namespace: elsewhere}
                """);

        assertThatThrownBy(() -> applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), somethingElse)))
                .isInstanceOfSatisfying(ApplyException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ApplyException.Reason.EMPTY_DESIRED_SET);
                    assertThat(e.getMessage()).contains("would prune every one of the 5 objects");
                });
        assertThat(server.writes()).isEmpty();
    }

    @Test
    void keepsWhatLeftGitWhenPruningIsOff() throws Exception {
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));

        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), TestObjects.without(shop, "ConfigMap", "api-config"))
                .withPrune(false));

        assertThat(changes.find("ConfigMap/shop/api-config")).map(ChangeSetEntry::action).contains(Action.SKIPPED);
        assertThat(configMap("api-config")).isNotNull();
        assertThat(inventory()).contains("api-config");
    }

    @Test
    void forgetsAnObjectWhoseKindWasRemovedFromTheCluster() throws Exception {
        List<ObjectNode> widgets = TestObjects.load("/apply/widgets.yaml");
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), widgets));
        // Someone deletes the CRD (and with it every Widget) by hand.
        server.client().apiextensions().v1().customResourceDefinitions().withName("widgets.example.com").delete();
        server.client().genericKubernetesResources("example.com/v1", "Widget").inNamespace("gadgets").withName("blue").delete();

        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"),
                TestObjects.without(TestObjects.without(widgets, "Widget", "blue"), "CustomResourceDefinition", "widgets.example.com")));

        assertThat(changes.withAction(Action.DELETED)).extracting(ChangeSetEntry::id)
                .containsExactly("Widget/gadgets/blue", "CustomResourceDefinition/widgets.example.com");
        assertThat(server.client().configMaps().inNamespace("drawbridge-system").withName("drawbridge-inventory-dev").get()
                .getData().get("inventory.json")).doesNotContain("blue", "widgets.example.com");
    }

    private void createConfigMap(String name, boolean drawbridgeLabels) {
        ConfigMapBuilder builder = new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("shop").endMetadata()
                .addToData("k", "v");
        if (drawbridgeLabels) {
            builder.editMetadata().addToLabels("app.kubernetes.io/managed-by", "drawbridge")
                    .addToLabels("drawbridge.dev/environment", "dev").endMetadata();
        }
        server.client().configMaps().inNamespace("shop").resource(builder.build()).create();
    }

    private ConfigMap configMap(String name) {
        return server.client().configMaps().inNamespace("shop").withName(name).get();
    }

    private String inventory() {
        return server.client().configMaps().inNamespace("drawbridge-system").withName("drawbridge-inventory-dev").get()
                .getData().get("inventory.json");
    }
}
