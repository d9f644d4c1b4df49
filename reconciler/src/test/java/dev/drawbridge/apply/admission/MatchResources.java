package dev.drawbridge.apply.admission;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code matchConstraints} of a policy (or {@code matchResources} of a binding) as the API server applies them:
 * {@code resourceRules} minus {@code excludeResourceRules}, then the {@code namespaceSelector} and the
 * {@code objectSelector}.
 *
 * <ul>
 *   <li>A rule's {@code resources}: {@code "*"} is every resource but no subresource, {@code "*&#47;*"} everything,
 *       {@code "pods/*"} every subresource of pods, {@code "*&#47;status"} the status of every resource.</li>
 *   <li>{@code scope}: {@code Namespaced} is a request with a namespace that is not about a Namespace object;
 *       {@code Cluster} one without, or about a Namespace object; {@code "*"} (the default) both.</li>
 *   <li>{@code namespaceSelector}: a cluster-scoped request that is not about a Namespace is never skipped by it;
 *       a CREATE or UPDATE of a Namespace is matched by the labels of the new object; anything else by the labels
 *       of the request's namespace as it is in the cluster.</li>
 *   <li>{@code objectSelector}: matched by the labels of the new object or of the old one.</li>
 * </ul>
 */
record MatchResources(List<JsonNode> resourceRules, List<JsonNode> excludeResourceRules, LabelSelector namespaceSelector,
                      LabelSelector objectSelector) {

    static MatchResources of(JsonNode spec) {
        return new MatchResources(list(spec.path("resourceRules")), list(spec.path("excludeResourceRules")),
                LabelSelector.of(spec.path("namespaceSelector")), LabelSelector.of(spec.path("objectSelector")));
    }

    /**
     * @param namespaces the labels of the cluster's namespaces by name
     */
    boolean matches(AdmissionRequest request, Map<String, Map<String, String>> namespaces) {
        if (resourceRules.stream().noneMatch(rule -> rule(rule, request))) {
            return false;
        }
        if (excludeResourceRules.stream().anyMatch(rule -> rule(rule, request))) {
            return false;
        }
        if (!namespace(request, namespaces)) {
            return false;
        }
        return objectSelector.empty() || object(request.object()) || object(request.oldObject());
    }

    private boolean namespace(AdmissionRequest request, Map<String, Map<String, String>> namespaces) {
        if (request.namespace().isEmpty() && !request.resource().equals("namespaces")) {
            return true;
        }
        if (namespaceSelector.empty()) {
            return true;
        }
        boolean namespaceObject = request.resource().equals("namespaces") && request.subResource().isEmpty()
                && (request.operation().equals("CREATE") || request.operation().equals("UPDATE"));
        Map<String, String> labels = namespaceObject ? labels(request.object()) : namespaces.get(request.namespace());
        if (labels == null) {
            throw new IllegalStateException("namespace " + request.namespace() + " does not exist in the test's cluster");
        }
        return namespaceSelector.matches(labels);
    }

    private boolean object(JsonNode object) {
        return object != null && objectSelector.matches(labels(object));
    }

    private static boolean rule(JsonNode rule, AdmissionRequest request) {
        return contains(rule.path("operations"), request.operation())
                && contains(rule.path("apiGroups"), request.group())
                && contains(rule.path("apiVersions"), request.version())
                && resource(rule.path("resources"), request)
                && scope(rule.path("scope").asText("*"), request);
    }

    private static boolean resource(JsonNode resources, AdmissionRequest request) {
        for (JsonNode entry : resources) {
            String value = entry.asText();
            if (value.equals("*/*")) {
                return true;
            }
            int slash = value.indexOf('/');
            String resource = slash < 0 ? value : value.substring(0, slash);
            String sub = slash < 0 ? "" : value.substring(slash + 1);
            boolean resourceMatches = resource.equals("*") || resource.equals(request.resource());
            boolean subMatches = slash < 0 ? request.subResource().isEmpty() : sub.equals("*") || sub.equals(request.subResource());
            if (resourceMatches && subMatches) {
                return true;
            }
        }
        return false;
    }

    private static boolean scope(String scope, AdmissionRequest request) {
        return switch (scope) {
            case "*" -> true;
            case "Namespaced" -> !request.isNamespace() && !request.namespace().isEmpty();
            case "Cluster" -> request.isNamespace() || request.namespace().isEmpty();
            default -> throw new IllegalArgumentException("unknown scope " + scope);
        };
    }

    private static boolean contains(JsonNode values, String value) {
        for (JsonNode v : values) {
            if (v.asText().equals("*") || v.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    static Map<String, String> labels(JsonNode object) {
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        if (object != null) {
            object.at("/metadata/labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        }
        return labels;
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items;
    }
}
