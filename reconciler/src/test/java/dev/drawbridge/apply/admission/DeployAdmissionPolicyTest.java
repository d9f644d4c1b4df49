package dev.drawbridge.apply.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.drawbridge.apply.admission.K8s.APP_SERVICE_ACCOUNT;
import static dev.drawbridge.apply.admission.K8s.APP_TEAM;
import static dev.drawbridge.apply.admission.K8s.BREAK_GLASS;
import static dev.drawbridge.apply.admission.K8s.CLUSTER_ADMIN;
import static dev.drawbridge.apply.admission.K8s.CONTROLLER_MANAGER;
import static dev.drawbridge.apply.admission.K8s.DRAWBRIDGE;
import static dev.drawbridge.apply.admission.K8s.GARBAGE_COLLECTOR;
import static dev.drawbridge.apply.admission.K8s.KUBEADM_ADMIN;
import static dev.drawbridge.apply.admission.K8s.KUBELET;
import static dev.drawbridge.apply.admission.K8s.NAMESPACE_CONTROLLER;
import static dev.drawbridge.apply.admission.K8s.NEIGHBOUR;
import static dev.drawbridge.apply.admission.K8s.REPLICASET_CONTROLLER;
import static dev.drawbridge.apply.admission.K8s.STATE_NAMESPACE;
import static dev.drawbridge.apply.admission.K8s.clusterRole;
import static dev.drawbridge.apply.admission.K8s.configMap;
import static dev.drawbridge.apply.admission.K8s.decisionRecord;
import static dev.drawbridge.apply.admission.K8s.deployment;
import static dev.drawbridge.apply.admission.K8s.edited;
import static dev.drawbridge.apply.admission.K8s.event;
import static dev.drawbridge.apply.admission.K8s.inventory;
import static dev.drawbridge.apply.admission.K8s.lease;
import static dev.drawbridge.apply.admission.K8s.namespace;
import static dev.drawbridge.apply.admission.K8s.pod;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admission policies of {@code deploy/}, their CEL evaluated (Google's CEL for Java) against the requests
 * each rule must allow and deny: only Drawbridge writes its own state in drawbridge-system (not break-glass, not
 * cluster administrators), only Drawbridge and break-glass write in managed namespaces, and the control plane
 * keeps working.
 */
class DeployAdmissionPolicyTest {

    static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();

    static AdmissionPolicies cluster;
    static AdmissionPolicies deleting;

    @BeforeAll
    static void load() {
        assertThat(DEPLOY).isDirectory();
        cluster = cluster("Active");
        deleting = cluster("Terminating");
    }

    /** shop is managed, other is not; drawbridge-system in the given phase. */
    static AdmissionPolicies cluster(String stateNamespacePhase) {
        return AdmissionPolicies.fromDirectory(DEPLOY)
                .withNamespace("shop", Map.of("drawbridge.dev/managed", "true"), "Active")
                .withNamespace("other", Map.of(), "Active")
                .withNamespace("kube-system", Map.of(), "Active")
                .withNamespace(STATE_NAMESPACE, Map.of("app.kubernetes.io/name", "drawbridge"), stateNamespacePhase);
    }

    /** Create, update (a changed copy) and delete of each object. */
    static List<AdmissionRequest> writes(AdmissionRequest.Identity who, ObjectNode... objects) {
        List<AdmissionRequest> requests = new ArrayList<>();
        for (ObjectNode object : objects) {
            ObjectNode changed = edited(object, o -> ((ObjectNode) o.path("metadata")).putObject("annotations")
                    .put("example.com/changed", "yes"));
            requests.add(who.create(object));
            requests.add(who.update(object, changed));
            requests.add(who.delete(object));
        }
        return requests;
    }

    static ObjectNode[] state() {
        return new ObjectNode[]{decisionRecord("production-4f2c9a1b7e3d-9b1e0c2d", "PASS"), inventory("production"),
                lease(STATE_NAMESPACE, "drawbridge-production")};
    }

    static void assertAllowed(AdmissionPolicies policies, List<AdmissionRequest> requests) {
        for (AdmissionRequest request : requests) {
            AdmissionPolicies.Review review = policies.review(request);
            assertThat(review.allowed()).as(review.toString()).isTrue();
        }
    }

    static void assertDenied(AdmissionPolicies policies, List<AdmissionRequest> requests, String... messageParts) {
        for (AdmissionRequest request : requests) {
            AdmissionPolicies.Review review = policies.review(request);
            assertThat(review.deniedByRule()).as(review.toString()).isTrue();
            assertThat(review.denials()).as(review.toString()).singleElement().asString().contains(messageParts)
                    .contains(request.username());
        }
    }

    @Test
    void everyPolicyInDeployIsBoundToDeny() {
        assertThat(cluster.policyNames()).containsExactlyInAnyOrder("drawbridge-only-actor",
                "drawbridge-only-actor-namespaces", "drawbridge-own-state");
        assertThat(cluster.boundPolicyNames()).containsExactlyInAnyOrderElementsOf(cluster.policyNames());
    }

    // --- Drawbridge's own state ---------------------------------------------------------------------------

    @Test
    void drawbridgeCreatesChangesAndDeletesItsDecisionRecordsInventoriesAndLeases() {
        for (AdmissionRequest request : writes(DRAWBRIDGE, state())) {
            AdmissionPolicies.Review review = cluster.review(request);
            assertThat(review.allowed()).as(review.toString()).isTrue();
            assertThat(review.evaluated()).as("matched and evaluated, not skipped: " + review).containsExactly("drawbridge-own-state");
        }
    }

    @Test
    void aClusterAdminCannotForgeADecisionRecordEditAnInventoryOrTakeALease() {
        String why = "is the state of Drawbridge (decision records, inventories, leases), written only by "
                + "system:serviceaccount:drawbridge-system:drawbridge; break-glass does not apply here";
        assertDenied(cluster, writes(CLUSTER_ADMIN, state()), why);
        assertDenied(cluster, writes(KUBEADM_ADMIN, state()), why);
        assertThat(cluster.review(CLUSTER_ADMIN.create(decisionRecord("production-forged-0000", "PASS"))).denials())
                .singleElement().asString().startsWith("kubernetes-admin may not create decisionrecords production-forged-0000"
                        + " in namespace drawbridge-system: it is the state of Drawbridge");
    }

    @Test
    void breakGlassAppTeamsOtherServiceAccountsAndTheControlPlaneCannotWriteItEither() {
        for (AdmissionRequest.Identity who : List.of(BREAK_GLASS, APP_TEAM, APP_SERVICE_ACCOUNT, NEIGHBOUR,
                REPLICASET_CONTROLLER, KUBELET)) {
            assertDenied(cluster, writes(who, state()), "written only by system:serviceaccount:drawbridge-system:drawbridge");
        }
    }

    @Test
    void anInventoryCreatedWithGenerateNameIsMatchedByItsPrefix() {
        ObjectNode generated = edited(inventory("production"), o -> {
            ObjectNode meta = (ObjectNode) o.path("metadata");
            meta.remove("name");
            meta.put("generateName", "drawbridge-inventory-");
        });
        assertDenied(cluster, List.of(CLUSTER_ADMIN.create(generated)), "may not create configmaps");
        assertAllowed(cluster, List.of(DRAWBRIDGE.create(generated)));
    }

    @Test
    void otherConfigMapsAndLeasesOfTheNamespaceAndTheSameNamesElsewhereAreNotDrawbridgeState() {
        List<AdmissionRequest> requests = new ArrayList<>();
        requests.addAll(writes(CLUSTER_ADMIN, configMap(STATE_NAMESPACE, "drawbridge-config-5d6cgchtgk"),
                configMap(STATE_NAMESPACE, "kube-root-ca.crt"), lease(STATE_NAMESPACE, "some-operator-leader")));
        requests.addAll(writes(APP_TEAM, configMap("other", "drawbridge-inventory-production"), lease("other", "drawbridge-production")));
        for (AdmissionRequest request : requests) {
            AdmissionPolicies.Review review = cluster.review(request);
            assertThat(review.allowed()).as(review.toString()).isTrue();
            assertThat(review.evaluated()).as(review.toString()).isEmpty();
        }
    }

    @Test
    void theNamespaceControllerEmptiesDrawbridgeSystemOnlyWhileItIsBeingDeleted() {
        List<AdmissionRequest> deletes = new ArrayList<>();
        for (AdmissionRequest.Identity who : List.of(NAMESPACE_CONTROLLER, CONTROLLER_MANAGER)) {
            for (ObjectNode object : state()) {
                deletes.add(who.delete(object));
            }
        }
        assertAllowed(deleting, deletes);
        assertDenied(cluster, deletes, "may not delete");
        assertDenied(deleting, List.of(NAMESPACE_CONTROLLER.create(inventory("production")),
                NAMESPACE_CONTROLLER.update(inventory("production"), inventory("production"))), "written only by");
        assertDenied(deleting, writes(CLUSTER_ADMIN, state()), "written only by");
    }

    @Test
    void theGarbageCollectorDeletesOnlyOwnedObjectsAndRemovesFinalizersOnlyFromObjectsBeingDeleted() {
        ObjectNode owned = edited(inventory("production"), o -> ((ObjectNode) o.path("metadata")).putArray("ownerReferences")
                .addObject().put("apiVersion", "v1").put("kind", "ConfigMap").put("name", "gone").put("uid", "1"));
        ObjectNode beingDeleted = edited(decisionRecord("production-4f2c9a1b7e3d-9b1e0c2d", "PASS"), o -> {
            ObjectNode meta = (ObjectNode) o.path("metadata");
            meta.put("deletionTimestamp", "2026-12-01T10:00:00Z");
            meta.putArray("finalizers").add("foregroundDeletion");
        });
        ObjectNode finalized = edited(beingDeleted, o -> ((ObjectNode) o.path("metadata")).remove("finalizers"));
        assertAllowed(cluster, List.of(GARBAGE_COLLECTOR.delete(owned), GARBAGE_COLLECTOR.update(beingDeleted, finalized)));
        assertDenied(cluster, List.of(GARBAGE_COLLECTOR.delete(inventory("production")),
                GARBAGE_COLLECTOR.update(inventory("production"), edited(inventory("production"), o -> o.putObject("data"))),
                GARBAGE_COLLECTOR.create(owned)), "written only by");
    }

    // --- Only actor in managed namespaces -----------------------------------------------------------------

    @Test
    void anAppTeamOrAnotherServiceAccountCannotWriteInAManagedNamespace() {
        assertDenied(cluster, writes(APP_TEAM, deployment("shop", "api"), configMap("shop", "settings")),
                "in namespace shop: it is managed by Drawbridge from Git (drawbridge.dev/managed=true). Change Git instead");
        assertDenied(cluster, writes(APP_SERVICE_ACCOUNT, deployment("shop", "api")), "may not");
        assertDenied(cluster, writes(CLUSTER_ADMIN, deployment("shop", "api")), "may not");
        assertThat(cluster.review(APP_TEAM.update(deployment("shop", "api"), deployment("shop", "api"))).denials())
                .singleElement().asString().startsWith("bob@example.com may not update deployments api in namespace shop:");
    }

    @Test
    void drawbridgeWritesInAManagedNamespaceAndBreakGlassMayWithAnAuditAnnotation() {
        for (AdmissionRequest request : writes(DRAWBRIDGE, deployment("shop", "api"))) {
            AdmissionPolicies.Review review = cluster.review(request);
            assertThat(review.allowed()).as(review.toString()).isTrue();
            assertThat(review.evaluated()).containsExactly("drawbridge-only-actor");
            assertThat(review.auditAnnotations()).isEmpty();
        }
        for (AdmissionRequest request : writes(BREAK_GLASS, deployment("shop", "api"))) {
            AdmissionPolicies.Review review = cluster.review(request);
            assertThat(review.allowed()).as(review.toString()).isTrue();
            assertThat(review.auditAnnotations()).containsEntry("drawbridge-only-actor/break-glass",
                    "alice@example.com used break-glass to " + request.operation() + " deployments api");
        }
    }

    @Test
    void theControlPlaneKeepsWorkingInManagedNamespaces() {
        assertAllowed(cluster, List.of(
                REPLICASET_CONTROLLER.create(pod("shop", "api-7d9f-abcde")),
                GARBAGE_COLLECTOR.delete(pod("shop", "api-7d9f-abcde")),
                NAMESPACE_CONTROLLER.delete(deployment("shop", "api")),
                CONTROLLER_MANAGER.update(deployment("shop", "api"), deployment("shop", "api")),
                KUBELET.update(pod("shop", "api-1"), pod("shop", "api-1")).onSubresource("status"),
                // events and leases that workloads write about themselves
                APP_SERVICE_ACCOUNT.create(event("shop", "api-1.17a2")),
                APP_SERVICE_ACCOUNT.update(lease("shop", "api-leader"), lease("shop", "api-leader")),
                // subresources are not matched: an HPA scales, a controller reports status
                APP_TEAM.update(deployment("shop", "api"), deployment("shop", "api")).onSubresource("scale"),
                APP_SERVICE_ACCOUNT.update(deployment("shop", "api"), deployment("shop", "api")).onSubresource("status")));
    }

    @Test
    void unmanagedNamespacesAndClusterScopedObjectsAreLeftAlone() {
        List<AdmissionRequest> requests = new ArrayList<>(writes(APP_TEAM, deployment("other", "api"), clusterRole("reader")));
        requests.add(APP_TEAM.create(namespace("team-sandbox", false)));
        for (AdmissionRequest request : requests) {
            AdmissionPolicies.Review review = cluster.review(request);
            assertThat(review.allowed()).as(review.toString()).isTrue();
            assertThat(review.evaluated()).as(review.toString()).isEmpty();
        }
    }

    @Test
    void aManagedNamespaceCannotBeCreatedDeletedOrUnlabelledByAnyoneElse() {
        ObjectNode managed = namespace("shop", true);
        ObjectNode unlabelled = namespace("shop", false);
        assertDenied(cluster, List.of(APP_TEAM.create(namespace("payments", true)), APP_TEAM.delete(managed),
                        APP_TEAM.update(managed, unlabelled), CLUSTER_ADMIN.update(managed, unlabelled)),
                "namespace", "it is managed by Drawbridge from Git");
        assertAllowed(cluster, List.of(DRAWBRIDGE.create(managed), DRAWBRIDGE.update(managed, managed),
                BREAK_GLASS.update(managed, unlabelled), APP_TEAM.update(unlabelled, unlabelled)));
        assertThat(cluster.review(BREAK_GLASS.delete(managed)).auditAnnotations())
                .containsEntry("drawbridge-only-actor-namespaces/break-glass", "alice@example.com used break-glass to DELETE namespace shop");
    }

    @Test
    void theNamespaceSelectorAloneWouldMissTheLabelBeingRemoved() {
        // Why Namespace objects have a policy of their own: drawbridge-only-actor selects namespaces by the new
        // labels of a Namespace being updated, as Kubernetes does, so it never sees the label being removed.
        AdmissionPolicies onlyTheFirst = AdmissionPolicies.of(new ArrayList<>(List.of(
                        K8s.object(policyText("drawbridge-only-actor")), K8s.object(bindingText("drawbridge-only-actor")))))
                .withNamespace("shop", Map.of("drawbridge.dev/managed", "true"), "Active");
        ObjectNode managed = namespace("shop", true);
        assertThat(onlyTheFirst.review(APP_TEAM.update(managed, namespace("shop", false))).evaluated()).isEmpty();
        assertThat(cluster.review(APP_TEAM.update(managed, namespace("shop", false))).deniedByRule()).isTrue();
    }

    private static String policyText(String name) {
        return document("ValidatingAdmissionPolicy", name);
    }

    private static String bindingText(String name) {
        return document("ValidatingAdmissionPolicyBinding", name);
    }

    /** One document of deploy/admission-policy.yaml by kind and name. */
    private static String document(String kind, String name) {
        try {
            for (String doc : Files.readString(DEPLOY.resolve("admission-policy.yaml")).split("(?m)^---$")) {
                if (doc.contains("\nkind: " + kind + "\n") && doc.contains("\n  name: " + name + "\n")) {
                    return doc;
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new IllegalArgumentException("no " + kind + " " + name);
    }
}
