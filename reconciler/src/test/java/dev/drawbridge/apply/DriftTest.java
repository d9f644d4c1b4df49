package dev.drawbridge.apply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.apply.testing.TestObjects;
import dev.drawbridge.values.EnvironmentName;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DriftTest extends MockClusterTest {

    List<ObjectNode> shop = TestObjects.load("/apply/shop.yaml");

    /** Runs after the base class has started the server (JUnit runs superclass set-ups first). */
    @BeforeEach
    void applyOnce() throws Exception {
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));
        server.clearRequests();
    }

    @Test
    void undoesALiveChangeOfReplicasAndReportsItAsDrift() throws Exception {
        api().edit(d -> {
            d.getSpec().setReplicas(5);
            return d;
        });

        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));

        // The test's client edits without naming a field manager: the API server names it after the user agent.
        assertThat(changes.drifted()).containsExactly(new ChangeSetEntry("Deployment/shop/api", Action.CONFIGURED, true,
                "fabric8-kubernetes-client changed spec.replicas"));
        assertThat(changes.count(Action.UNCHANGED)).isEqualTo(4);
        assertThat(api().get().getSpec().getReplicas()).isEqualTo(2);
        assertThat(changes.summary()).isEqualTo("1 configured (1 drift undone), 4 unchanged");
    }

    @Test
    void undoesALiveChangeOfAnImage() throws Exception {
        api().edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("registry.example.com/shop/api:latest");
            return d;
        });

        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));

        assertThat(changes.drifted()).extracting(ChangeSetEntry::id).containsExactly("Deployment/shop/api");
        assertThat(api().get().getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo(ApplyTest.API_IMAGE);
    }

    @Test
    void restoresARemovedOwnershipLabel() throws Exception {
        server.client().configMaps().inNamespace("shop").withName("api-config").edit(c -> {
            c.getMetadata().getLabels().remove("drawbridge.dev/environment");
            return c;
        });

        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));

        assertThat(changes.drifted()).extracting(ChangeSetEntry::id).containsExactly("ConfigMap/shop/api-config");
        assertThat(server.client().configMaps().inNamespace("shop").withName("api-config").get().getMetadata().getLabels())
                .containsEntry("drawbridge.dev/environment", "dev");
    }

    @Test
    void undoesAnAddedContainer() throws Exception {
        api().edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().add(
                    new io.fabric8.kubernetes.api.model.ContainerBuilder().withName("sidecar").withImage("evil:latest").build());
            return d;
        });

        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));

        assertThat(changes.drifted()).extracting(ChangeSetEntry::id).containsExactly("Deployment/shop/api");
        assertThat(api().get().getSpec().getTemplate().getSpec().getContainers()).hasSize(1);
    }

    @Test
    void aChangeInGitIsNotDrift() throws Exception {
        List<ObjectNode> changed = TestObjects.with(shop, "Deployment", "api",
                api -> ((ObjectNode) api.get("spec")).put("replicas", 3));

        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), changed));

        assertThat(changes.find("Deployment/shop/api")).contains(new ChangeSetEntry("Deployment/shop/api", Action.CONFIGURED, false));
        assertThat(changes.drifted()).isEmpty();
    }

    @Test
    void aChangeInGitOfAFieldThatWasRemovedIsApplied() throws Exception {
        // Removing a field from Git leaves the live object a superset of the desired one; the hash still tells.
        List<ObjectNode> changed = TestObjects.with(shop, "Deployment", "api",
                api -> ((ObjectNode) api.at("/metadata/labels")).remove("drawbridge.dev/owner"));

        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), changed));

        assertThat(changes.find("Deployment/shop/api")).map(ChangeSetEntry::action).contains(Action.CONFIGURED);
        assertThat(api().get().getMetadata().getLabels()).doesNotContainKey("drawbridge.dev/owner");
    }

    @Test
    void ignoresWhatTheClusterControllersAddedAndWritesNothing() throws Exception {
        // Fields the cluster's controllers set (the Deployment controller's revision annotation, the status) are not drift.
        PatchContext asControllerManager = new PatchContext.Builder().withPatchType(PatchType.JSON)
                .withFieldManager("kube-controller-manager").build();
        api().patch(asControllerManager, """
                [{"op": "add", "path": "/metadata/annotations/deployment.kubernetes.io~1revision", "value": "1"}]""");
        server.clearRequests();

        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));

        assertThat(changes.count(Action.UNCHANGED)).isEqualTo(5);
        assertThat(server.writes()).isEmpty();
        assertThat(api().get().getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "1");
    }

    private RollableScalableResource<Deployment> api() {
        return server.client().apps().deployments().inNamespace("shop").withName("api");
    }
}
