package dev.drawbridge.gate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.policy.GatePolicy;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Rules about the rendered manifests as a whole. */
final class ManifestChecks {

    /** Kinds that live outside namespaces; any other kind without a namespace lands in "default". */
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "PersistentVolume", "StorageClass", "PriorityClass", "IngressClass",
            "RuntimeClass", "APIService", "CSIDriver", "Node", "ValidatingWebhookConfiguration",
            "MutatingWebhookConfiguration", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
            "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding", "VolumeSnapshotClass", "ClusterIssuer");

    List<Violation> evaluate(List<? extends JsonNode> objects, GatePolicy policy) {
        if (!policy.requireNetworkPolicy()) {
            return List.of();
        }
        Set<String> namespaces = new TreeSet<>();
        Set<String> covered = new TreeSet<>();
        for (JsonNode o : objects) {
            String kind = o.path("kind").asText();
            String namespace = o.path("metadata").path("namespace").asText("");
            if (kind.equals("Namespace")) {
                namespaces.add(o.path("metadata").path("name").asText());
                continue;
            }
            if (CLUSTER_SCOPED.contains(kind)) {
                continue;
            }
            String ns = namespace.isEmpty() ? "default" : namespace;
            namespaces.add(ns);
            if (kind.equals("NetworkPolicy") && o.path("apiVersion").asText().startsWith("networking.k8s.io/")) {
                covered.add(ns);
            }
        }
        namespaces.removeAll(covered);
        return namespaces.stream()
                .map(ns -> Violation.of(Rules.NETWORK_POLICY, "namespace " + ns + " gets no NetworkPolicy from Git",
                        "add a NetworkPolicy for namespace " + ns + " (at least a default-deny) to the manifests"))
                .toList();
    }
}
