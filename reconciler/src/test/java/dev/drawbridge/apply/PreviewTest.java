package dev.drawbridge.apply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.apply.testing.TestObjects;
import dev.drawbridge.values.EnvironmentName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What an apply would do, worked out without doing it: the live cluster, the inventory, server-side dry runs. */
class PreviewTest extends MockClusterTest {

    List<ObjectNode> shop = TestObjects.load("/apply/shop.yaml");

    @Test
    void saysWhatWouldBeCreatedConfiguredPrunedAndLeftAloneAndWritesNothing() throws Exception {
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));
        String inventoryBefore = inventory();
        server.clearRequests();
        List<ObjectNode> next = TestObjects.with(TestObjects.without(shop, "ConfigMap", "api-config"), "Deployment", "worker",
                worker -> ((ObjectNode) worker.get("spec")).put("replicas", 3));

        PlannedChanges planned = applier.preview(ApplyRequest.of(EnvironmentName.of("dev"), next));

        assertThat(planned.changes().find("Deployment/shop/worker")).get().extracting(ChangeSetEntry::action)
                .isEqualTo(Action.CONFIGURED);
        assertThat(planned.changes().find("ConfigMap/shop/api-config")).get().extracting(ChangeSetEntry::action)
                .isEqualTo(Action.DELETED);
        assertThat(planned.changes().count(Action.UNCHANGED)).isEqualTo(shop.size() - 2);
        assertThat(planned.refused()).isEmpty();
        assertThat(server.writes()).as("dry runs only").isNotEmpty().allMatch(call -> call.isApply() && call.isDryRun());
        assertThat(inventory()).isEqualTo(inventoryBefore);
        assertThat(configMap("api-config")).isNotNull();
    }

    @Test
    void anObjectNotInTheClusterWouldBeCreated() throws Exception {
        PlannedChanges planned = applier.preview(ApplyRequest.of(EnvironmentName.of("dev"), shop));

        assertThat(planned.changes().count(Action.CREATED)).isEqualTo(shop.size());
        assertThat(server.client().configMaps().inNamespace("shop").list().getItems()).isEmpty();
    }

    private io.fabric8.kubernetes.api.model.ConfigMap configMap(String name) {
        return server.client().configMaps().inNamespace("shop").withName(name).get();
    }

    private String inventory() {
        return server.client().configMaps().inNamespace("drawbridge-system").withName("drawbridge-inventory-dev").get()
                .getData().get("inventory.json");
    }
}
