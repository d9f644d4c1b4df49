package dev.drawbridge.apply;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * managedFields as a real API server writes them (the shape of {@code kubectl get -o json --show-managed-fields}),
 * read and planned without the test API server: keyed list items with several keys, set items, the HPA's scale
 * subresource entry, status entries.
 */
class ManagedFieldsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Set<String> IGNORED = Set.of("kube-controller-manager", "kube-scheduler", "kubelet");

    static final String LIVE = """
            {"apiVersion": "apps/v1", "kind": "Deployment",
             "metadata": {"name": "api", "namespace": "shop", "resourceVersion": "4711",
               "finalizers": ["example.com/keep", "example.com/hold"],
               "labels": {"app": "api", "app.kubernetes.io/managed-by": "drawbridge", "team": "someone"},
               "managedFields": [
                 {"manager": "drawbridge", "operation": "Apply", "apiVersion": "apps/v1", "fieldsType": "FieldsV1",
                  "fieldsV1": {"f:metadata": {"f:labels": {"f:app": {}, "f:app.kubernetes.io/managed-by": {}}},
                    "f:spec": {"f:template": {"f:spec": {"f:containers": {
                      "k:{\\"name\\":\\"api\\"}": {".": {}, "f:image": {}, "f:name": {},
                        "f:ports": {"k:{\\"containerPort\\":8080,\\"protocol\\":\\"TCP\\"}": {".": {}, "f:containerPort": {}}}}}}}}}},
                 {"manager": "kube-controller-manager", "operation": "Update", "apiVersion": "apps/v1", "subresource": "scale",
                  "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": {"f:replicas": {}}}},
                 {"manager": "kube-controller-manager", "operation": "Update", "apiVersion": "apps/v1", "subresource": "status",
                  "fieldsType": "FieldsV1", "fieldsV1": {"f:status": {"f:replicas": {}}}},
                 {"manager": "kubectl-edit", "operation": "Update", "apiVersion": "apps/v1", "fieldsType": "FieldsV1",
                  "fieldsV1": {"f:metadata": {"f:finalizers": {"v:\\"example.com/hold\\"": {}}, "f:labels": {"f:team": {}}},
                    "f:spec": {"f:template": {"f:spec": {"f:containers": {"k:{\\"name\\":\\"api\\"}": {
                      "f:ports": {"k:{\\"containerPort\\":9090,\\"protocol\\":\\"TCP\\"}": {".": {}, "f:containerPort": {}, "f:protocol": {}}}}}}}}}}
               ]},
             "spec": {"replicas": 9, "template": {"spec": {"containers": [{"name": "api", "image": "api@sha256:1",
               "terminationMessagePath": "/dev/termination-log",
               "ports": [{"containerPort": 8080, "protocol": "TCP"}, {"containerPort": 9090, "protocol": "TCP"}]}]}}},
             "status": {"replicas": 9}}
            """;

    static final String DESIRED = """
            {"apiVersion": "apps/v1", "kind": "Deployment",
             "metadata": {"name": "api", "namespace": "shop", "labels": {"app": "api", "app.kubernetes.io/managed-by": "drawbridge"}},
             "spec": {"replicas": 2, "template": {"spec": {"containers": [{"name": "api", "image": "api@sha256:1",
               "ports": [{"containerPort": 8080}]}]}}}}
            """;

    @Test
    void removesWhatAPersonAddedAndYieldsWhatTheAutoscalerOwns() throws Exception {
        ForeignFields.Plan plan = ForeignFields.plan(tree(LIVE), tree(DESIRED), IGNORED);

        assertThat(plan.removals()).extracting(ForeignFields.Removal::pointer).containsExactly(
                "/metadata/finalizers/1", "/metadata/labels/team", "/spec/template/spec/containers/0/ports/1");
        assertThat(plan.added()).isEqualTo("kubectl-edit added metadata.finalizers[=example.com/hold]; "
                + "kubectl-edit added metadata.labels.team; "
                + "kubectl-edit added spec.template.spec.containers[name=api].ports[containerPort=9090,protocol=TCP]");
        // The HPA's replicas (kube-controller-manager, through the scale subresource) are not applied over.
        assertThat(plan.desired().at("/spec").has("replicas")).isFalse();
        assertThat(plan.entries()).extracting(ManagedFields.Entry::manager).containsExactly("kubectl-edit");
        assertThat(plan.jsonPatch("4711")).isEqualTo("["
                + "{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"4711\"},"
                + "{\"op\":\"test\",\"path\":\"/metadata/managedFields/3/manager\",\"value\":\"kubectl-edit\"},"
                + "{\"op\":\"remove\",\"path\":\"/spec/template/spec/containers/0/ports/1\"},"
                + "{\"op\":\"remove\",\"path\":\"/metadata/labels/team\"},"
                + "{\"op\":\"remove\",\"path\":\"/metadata/finalizers/1\"},"
                + "{\"op\":\"remove\",\"path\":\"/metadata/managedFields/3\"}]");
    }

    @Test
    void leavesEverythingAloneWhenTheManagerIsIgnored() throws Exception {
        ForeignFields.Plan plan = ForeignFields.plan(tree(LIVE), tree(DESIRED), Set.of("kube-controller-manager", "kubectl-edit"));

        assertThat(plan.removals()).isEmpty();
        // What the ignored manager added is not a difference either.
        assertThat(plan.live().at("/spec/template/spec/containers/0/ports").size()).isEqualTo(1);
        assertThat(Manifests.containedIn(plan.desired(), plan.live())).isTrue();
    }

    @Test
    void anAutoscalerIsFoughtOnlyWhenItIsNotIgnored() throws Exception {
        ForeignFields.Plan plan = ForeignFields.plan(tree(LIVE), tree(DESIRED), Set.of());

        assertThat(plan.desired().at("/spec/replicas").asInt()).isEqualTo(2);
        assertThat(plan.changed()).contains("kube-controller-manager changed spec.replicas");
    }

    @Test
    void readsEveryKindOfPathElement() {
        assertThat(ManagedFields.element("f:spec", "x").field()).isEqualTo("spec");
        assertThat(ManagedFields.element("k:{\"containerPort\":80,\"protocol\":\"UDP\"}", "x").value().get("protocol").asText())
                .isEqualTo("UDP");
        assertThat(ManagedFields.element("v:\"example.com/x\"", "x").value().asText()).isEqualTo("example.com/x");
        assertThat(ManagedFields.element("i:3", "x").index()).isEqualTo(3);
        assertThatThrownBy(() -> ManagedFields.element("x:1", "managedFields[2]")).hasMessageContaining("unknown path element x:1");
        assertThatThrownBy(() -> ManagedFields.element("k:[1]", "managedFields[2]")).hasMessageContaining("not a JSON object");
    }

    @Test
    void unreadableManagedFieldsAreRefusedNotGuessed() throws Exception {
        ObjectNode live = tree(LIVE);
        ((ObjectNode) live.at("/metadata/managedFields/3")).put("fieldsV1", "garbage");

        assertThatThrownBy(() -> ForeignFields.plan(live, tree(DESIRED), IGNORED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("managedFields[3] (kubectl-edit)");
    }

    private static ObjectNode tree(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }
}
