package dev.drawbridge.apply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.apply.testing.ApplyingMockServer;
import dev.drawbridge.apply.testing.MutableClock;
import dev.drawbridge.apply.testing.TestObjects;
import dev.drawbridge.values.EnvironmentName;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fields and list items a person added, which server-side apply keeps (they are another field manager's), are
 * removed; what the cluster's controllers own and what the API server defaulted is left alone. The test API
 * server keeps managedFields and merges applies as the real one does, so an apply alone removes nothing here.
 */
class ForeignFieldsTest extends MockClusterTest {

    List<ObjectNode> shop = TestObjects.load("/apply/shop.yaml");

    @BeforeEach
    void applyOnce() throws Exception {
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));
        server.clearRequests();
    }

    @Test
    void removesASidecarAddedWithKubectlAndNamesTheFieldManager() throws Exception {
        patch("kubectl-edit", """
                [{"op": "add", "path": "/spec/template/spec/containers/-", "value": {"name": "sidecar", "image": "evil:latest"}}]""");
        assertThat(containers()).containsExactly("api", "sidecar");
        server.clearRequests();

        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));

        assertThat(containers()).containsExactly("api");
        assertThat(changes.drifted()).containsExactly(new ChangeSetEntry("Deployment/shop/api", Action.CONFIGURED, true,
                "kubectl-edit added spec.template.spec.containers[name=sidecar]"));
        assertThat(changes.find("Deployment/shop/api").orElseThrow().toString()).isEqualTo(
                "Deployment/shop/api configured (drift undone: kubectl-edit added spec.template.spec.containers[name=sidecar])");
        // One JSON patch, guarded by the resource version, that also drops the manager's entry; no apply needed.
        assertThat(server.writes()).singleElement().satisfies(call -> {
            assertThat(call.contentType()).startsWith(ApplyingMockServer.JSON_PATCH);
            assertThat(call.fieldManager()).isEqualTo("drawbridge");
            assertThat(call.body()).contains("\"op\":\"test\",\"path\":\"/metadata/resourceVersion\"",
                    "\"op\":\"remove\",\"path\":\"/spec/template/spec/containers/1\"");
        });
        assertThat(managers()).doesNotContain("kubectl-edit");

        server.clearRequests();
        ChangeSet again = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));
        assertThat(again.drifted()).isEmpty();
        assertThat(server.writes()).isEmpty();
    }

    @Test
    void removesASecurityContextAddedThroughBreakGlass() throws Exception {
        patch("break-glass-oncall", """
                [{"op": "add", "path": "/spec/template/spec/containers/0/securityContext",
                  "value": {"privileged": true, "runAsUser": 0}}]""");

        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));

        assertThat(api().get().getSpec().getTemplate().getSpec().getContainers().get(0).getSecurityContext()).isNull();
        assertThat(changes.find("Deployment/shop/api")).map(ChangeSetEntry::detail)
                .contains("break-glass-oncall added spec.template.spec.containers[name=api].securityContext");
        // The container's image, which Drawbridge applies, and its defaults stay.
        assertThat(api().get().getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(ApplyTest.API_IMAGE);
        assertThat(api().get().getSpec().getTemplate().getSpec().getContainers().get(0).getTerminationMessagePath())
                .isEqualTo("/dev/termination-log");
    }

    @Test
    void removesAnEnvVarALabelAndAnAnnotationAPersonAdded() throws Exception {
        patch("kubectl-patch", """
                [{"op": "add", "path": "/spec/template/spec/containers/0/env", "value": [{"name": "DEBUG", "value": "1"}]},
                 {"op": "add", "path": "/metadata/labels/team", "value": "someone"},
                 {"op": "add", "path": "/metadata/annotations/note", "value": "hand-made"}]""");

        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));

        Deployment live = api().get();
        assertThat(live.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()).isEmpty();
        assertThat(live.getMetadata().getLabels()).doesNotContainKey("team").containsEntry("drawbridge.dev/environment", "dev");
        assertThat(live.getMetadata().getAnnotations()).doesNotContainKey("note").containsKey("drawbridge.dev/applied-hash");
        assertThat(changes.find("Deployment/shop/api")).map(ChangeSetEntry::detail).get().asString()
                .contains("kubectl-patch added metadata.annotations.note", "kubectl-patch added metadata.labels.team",
                        "kubectl-patch added spec.template.spec.containers[name=api].env");
    }

    @Test
    void leavesTheAutoscalersReplicasAloneAndNeverFightsIt() throws Exception {
        // The HPA scales through kube-controller-manager, one of the default drift.ignore-managers.
        patch("kube-controller-manager", """
                [{"op": "replace", "path": "/spec/replicas", "value": 7}]""");
        server.clearRequests();

        ChangeSet first = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));
        ChangeSet second = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));

        assertThat(api().get().getSpec().getReplicas()).isEqualTo(7);
        assertThat(first.drifted()).isEmpty();
        assertThat(second.count(Action.UNCHANGED)).isEqualTo(5);
        assertThat(server.writes()).isEmpty();

        // A change in Git is applied without taking the replicas back.
        List<ObjectNode> newImage = TestObjects.with(shop, "Deployment", "api",
                api -> ((ObjectNode) api.at("/spec/template/spec/containers/0"))
                        .put("image", "registry.example.com/shop/api@sha256:" + "3".repeat(64)));
        ChangeSet changed = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), newImage));
        assertThat(changed.find("Deployment/shop/api")).map(ChangeSetEntry::action).contains(Action.CONFIGURED);
        assertThat(api().get().getSpec().getReplicas()).isEqualTo(7);
        assertThat(server.applies()).filteredOn(call -> call.path().endsWith("/deployments/api")).singleElement()
                .satisfies(call -> assertThat(call.bodyTree().at("/spec").has("replicas")).isFalse());
    }

    @Test
    void leavesFieldsTheApiServerDefaultedAlone() throws Exception {
        // Defaults have no field manager: the test API server fills them in as the real one does.
        assertThat(api().get().getSpec().getProgressDeadlineSeconds()).isEqualTo(600);
        assertThat(api().get().getMetadata().getManagedFields()).extracting(ManagedFieldsEntry::getManager).containsExactly("drawbridge");

        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));

        assertThat(changes.count(Action.UNCHANGED)).isEqualTo(5);
        assertThat(server.writes()).isEmpty();
        assertThat(api().get().getSpec().getProgressDeadlineSeconds()).isEqualTo(600);
        assertThat(api().get().getSpec().getRevisionHistoryLimit()).isEqualTo(10);
    }

    @Test
    void keepsWhatAConfiguredIgnoredManagerAdded() throws Exception {
        MutableClock clock = MutableClock.atEpoch();
        KubernetesApplier tolerant = new KubernetesApplier(server.client(), KubernetesApplier.Settings.defaults().withWatch(false)
                .withIgnoreManagers(List.of("kube-controller-manager", "kubectl-edit")), clock, clock::advance);
        patch("kubectl-edit", """
                [{"op": "add", "path": "/spec/template/spec/containers/-", "value": {"name": "sidecar", "image": "debug:1"}}]""");
        server.clearRequests();

        ChangeSet changes = tolerant.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));

        assertThat(containers()).containsExactly("api", "sidecar");
        assertThat(changes.drifted()).isEmpty();
        assertThat(server.writes()).isEmpty();
    }

    @Test
    void aChangedFieldDrawbridgeAppliesIsTakenBackAndTheManagerNamed() throws Exception {
        patch("kubectl-scale", """
                [{"op": "replace", "path": "/spec/replicas", "value": 0}]""");

        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));

        assertThat(api().get().getSpec().getReplicas()).isEqualTo(2);
        assertThat(changes.drifted()).singleElement().extracting(ChangeSetEntry::detail).isEqualTo("kubectl-scale changed spec.replicas");
        assertThat(managers()).containsExactly("drawbridge");
    }

    @Test
    void retriesOnceWhenTheObjectChangedBetweenTheReadAndTheRemoval() throws Exception {
        patch("kubectl-edit", """
                [{"op": "add", "path": "/spec/template/spec/containers/-", "value": {"name": "sidecar", "image": "evil:latest"}}]""");
        server.failWhen(call -> call.method().equals("PATCH") && ApplyingMockServer.JSON_PATCH.equals(call.contentType()), 409, 1);
        server.clearRequests();

        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));

        assertThat(containers()).containsExactly("api");
        assertThat(changes.drifted()).extracting(ChangeSetEntry::id).containsExactly("Deployment/shop/api");
        assertThat(server.writes()).filteredOn(call -> call.method().equals("PATCH")).hasSize(2);
    }

    private void patch(String manager, String jsonPatch) {
        api().patch(new PatchContext.Builder().withPatchType(PatchType.JSON).withFieldManager(manager).build(), jsonPatch);
    }

    private List<String> containers() {
        return api().get().getSpec().getTemplate().getSpec().getContainers().stream().map(c -> c.getName()).toList();
    }

    private List<String> managers() {
        return api().get().getMetadata().getManagedFields().stream().map(ManagedFieldsEntry::getManager).toList();
    }

    private RollableScalableResource<Deployment> api() {
        return server.client().apps().deployments().inNamespace("shop").withName("api");
    }
}
