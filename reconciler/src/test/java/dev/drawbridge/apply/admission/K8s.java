package dev.drawbridge.apply.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.apply.testing.TestObjects;

import java.util.function.Consumer;

/** Objects and identities for admission tests, as the API server would see them. */
final class K8s {

    static final String STATE_NAMESPACE = "drawbridge-system";

    static final AdmissionRequest.Identity DRAWBRIDGE = AdmissionRequest.as("system:serviceaccount:drawbridge-system:drawbridge",
            "system:serviceaccounts", "system:serviceaccounts:drawbridge-system", "system:authenticated");
    /** kubeadm's admin.conf before 1.29: a member of system:masters, which RBAC never refuses. */
    static final AdmissionRequest.Identity CLUSTER_ADMIN = AdmissionRequest.as("kubernetes-admin", "system:masters",
            "system:authenticated");
    /** kubeadm's admin.conf from 1.29 on: bound to cluster-admin. */
    static final AdmissionRequest.Identity KUBEADM_ADMIN = AdmissionRequest.as("kubernetes-admin", "kubeadm:cluster-admins",
            "system:authenticated");
    static final AdmissionRequest.Identity BREAK_GLASS = AdmissionRequest.as("alice@example.com", "drawbridge:break-glass",
            "oncall", "system:authenticated");
    static final AdmissionRequest.Identity APP_TEAM = AdmissionRequest.as("bob@example.com", "team-shop", "system:authenticated");
    static final AdmissionRequest.Identity APP_SERVICE_ACCOUNT = AdmissionRequest.as("system:serviceaccount:shop:api",
            "system:serviceaccounts", "system:serviceaccounts:shop", "system:authenticated");
    /** Another workload in Drawbridge's own namespace (its default service account). */
    static final AdmissionRequest.Identity NEIGHBOUR = AdmissionRequest.as("system:serviceaccount:drawbridge-system:default",
            "system:serviceaccounts", "system:serviceaccounts:drawbridge-system", "system:authenticated");
    static final AdmissionRequest.Identity REPLICASET_CONTROLLER = AdmissionRequest.as(
            "system:serviceaccount:kube-system:replicaset-controller", "system:serviceaccounts",
            "system:serviceaccounts:kube-system", "system:authenticated");
    static final AdmissionRequest.Identity GARBAGE_COLLECTOR = AdmissionRequest.as(
            "system:serviceaccount:kube-system:generic-garbage-collector", "system:serviceaccounts",
            "system:serviceaccounts:kube-system", "system:authenticated");
    static final AdmissionRequest.Identity NAMESPACE_CONTROLLER = AdmissionRequest.as(
            "system:serviceaccount:kube-system:namespace-controller", "system:serviceaccounts",
            "system:serviceaccounts:kube-system", "system:authenticated");
    static final AdmissionRequest.Identity CONTROLLER_MANAGER = AdmissionRequest.as("system:kube-controller-manager",
            "system:authenticated");
    static final AdmissionRequest.Identity KUBELET = AdmissionRequest.as("system:node:node-1", "system:nodes",
            "system:authenticated");

    private K8s() {
    }

    static ObjectNode object(String yaml) {
        return TestObjects.parse(yaml).get(0);
    }

    static ObjectNode edited(ObjectNode object, Consumer<ObjectNode> edit) {
        ObjectNode copy = object.deepCopy();
        edit.accept(copy);
        return copy;
    }

    static ObjectNode decisionRecord(String name, String decision) {
        return object("""
                apiVersion: drawbridge.dev/v1alpha1
                kind: DecisionRecord
                metadata:
                  name: %s
                  namespace: drawbridge-system
                  labels: {drawbridge.dev/environment: production, drawbridge.dev/decision: %s}
                spec:
                  environment: production
                  revision: 4f2c9a1b7e3d4f2c9a1b7e3d4f2c9a1b7e3d4f2c
                  decision: %s
                  applied: true
                  time: "2026-12-01T10:00:00Z"
                  images:
                    - {reference: "harbor.example.com/prod/shop/api:1.4.2", digest: "sha256:%s", verdict: PASS}
                """.formatted(name, decision, decision, "a".repeat(64)));
    }

    static ObjectNode configMap(String namespace, String name) {
        return object("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: %s, namespace: %s}
                data: {objects: "apps/v1/Deployment/shop/api"}
                """.formatted(name, namespace));
    }

    static ObjectNode inventory(String environment) {
        return configMap(STATE_NAMESPACE, "drawbridge-inventory-" + environment);
    }

    static ObjectNode lease(String namespace, String name) {
        return object("""
                apiVersion: coordination.k8s.io/v1
                kind: Lease
                metadata: {name: %s, namespace: %s}
                spec: {holderIdentity: drawbridge-7d9f-abcde, leaseDurationSeconds: 15}
                """.formatted(name, namespace));
    }

    static ObjectNode deployment(String namespace, String name) {
        return object("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %s
                  namespace: %s
                  labels: {app.kubernetes.io/managed-by: drawbridge, drawbridge.dev/environment: production}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: %s}}
                  template:
                    metadata: {labels: {app: %s}}
                    spec:
                      containers: [{name: app, image: "harbor.example.com/prod/shop/api@sha256:%s"}]
                """.formatted(name, namespace, name, name, "a".repeat(64)));
    }

    static ObjectNode pod(String namespace, String name) {
        return object("""
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: %s}
                spec: {containers: [{name: app, image: "harbor.example.com/prod/shop/api:1.4.2"}]}
                """.formatted(name, namespace));
    }

    static ObjectNode event(String namespace, String name) {
        return object("""
                apiVersion: v1
                kind: Event
                metadata: {name: %s, namespace: %s}
                reason: Pulled
                involvedObject: {kind: Pod, name: api-1, namespace: %s}
                """.formatted(name, namespace, namespace));
    }

    static ObjectNode namespace(String name, boolean managed) {
        return object("""
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: %s
                  labels: {kubernetes.io/metadata.name: %s%s}
                """.formatted(name, name, managed ? ", drawbridge.dev/managed: \"true\"" : ""));
    }

    static ObjectNode clusterRole(String name) {
        return object("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: %s}
                rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
                """.formatted(name));
    }
}
