package dev.drawbridge.apply.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One write as the API server's admission sees it ({@code admission.k8s.io/v1} AdmissionRequest): who, which
 * operation on which resource (and subresource), and the object before and after. For a Namespace the request's
 * namespace is the Namespace's own name, as in Kubernetes.
 *
 * @param object    the object after the change; null for DELETE
 * @param oldObject the object before the change; null for CREATE
 */
record AdmissionRequest(String operation, String username, List<String> groups, String group, String version,
                        String resource, String subResource, String kind, String namespace, String name,
                        JsonNode object, JsonNode oldObject) {

    /** Plural resource names of the kinds the tests write whose plural is not the kind in lower case plus "s". */
    private static final Map<String, String> PLURALS = Map.of("Lease", "leases", "Endpoints", "endpoints",
            "NetworkPolicy", "networkpolicies", "Ingress", "ingresses");

    static Identity as(String username, String... groups) {
        return new Identity(username, List.of(groups));
    }

    /** The same request on a subresource ({@code status}, {@code scale}, ...). */
    AdmissionRequest onSubresource(String sub) {
        return new AdmissionRequest(operation, username, groups, group, version, resource, sub, kind, namespace, name,
                object, oldObject);
    }

    /** Whether the resource is cluster-scoped (a Namespace counts: its namespace attribute is its own name). */
    boolean clusterScoped() {
        return namespace.isEmpty() || isNamespace();
    }

    boolean isNamespace() {
        return group.isEmpty() && version.equals("v1") && resource.equals("namespaces");
    }

    /** {@code request} as the policy's CEL sees it. */
    Map<String, Object> cel() {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("username", username);
        user.put("uid", "");
        if (!groups.isEmpty()) {
            user.put("groups", List.copyOf(groups));
        }
        Map<String, Object> gvk = Map.of("group", group, "version", version, "kind", kind);
        Map<String, Object> gvr = Map.of("group", group, "version", version, "resource", resource);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("uid", "705ab4f5-6393-11e8-b7cc-42010a800002");
        request.put("kind", gvk);
        request.put("resource", gvr);
        request.put("subResource", subResource);
        request.put("requestKind", gvk);
        request.put("requestResource", gvr);
        request.put("requestSubResource", subResource);
        request.put("name", name);
        request.put("namespace", namespace);
        request.put("operation", operation);
        request.put("userInfo", user);
        request.put("dryRun", false);
        return request;
    }

    @Override
    public String toString() {
        return username + " " + operation + " " + resource + (subResource.isEmpty() ? "" : "/" + subResource) + " "
                + (namespace.isEmpty() || isNamespace() ? "" : namespace + "/") + name;
    }

    /** Who writes: a user name and groups. */
    record Identity(String username, List<String> groups) {

        AdmissionRequest create(ObjectNode object) {
            return of("CREATE", object, null);
        }

        AdmissionRequest update(ObjectNode oldObject, ObjectNode object) {
            return of("UPDATE", object, oldObject);
        }

        AdmissionRequest delete(ObjectNode oldObject) {
            return of("DELETE", null, oldObject);
        }

        private AdmissionRequest of(String operation, ObjectNode object, ObjectNode oldObject) {
            JsonNode any = object != null ? object : oldObject;
            String apiVersion = any.path("apiVersion").asText();
            int slash = apiVersion.indexOf('/');
            String group = slash < 0 ? "" : apiVersion.substring(0, slash);
            String version = apiVersion.substring(slash + 1);
            String kind = any.path("kind").asText();
            String resource = PLURALS.getOrDefault(kind, kind.toLowerCase(Locale.ROOT) + "s");
            String name = any.at("/metadata/name").asText("");
            String namespace = kind.equals("Namespace") && group.isEmpty() ? name : any.at("/metadata/namespace").asText("");
            return new AdmissionRequest(operation, username, groups, group, version, resource, "", kind, namespace, name,
                    object, oldObject);
        }
    }
}
