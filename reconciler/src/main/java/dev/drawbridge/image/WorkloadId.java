package dev.drawbridge.image;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The id of a Kubernetes object as Drawbridge prints it: {@code apiVersion/Kind/namespace/name}, e.g.
 * {@code apps/v1/Deployment/shop/api}, {@code v1/Service/shop/api}; cluster-scoped objects (no
 * namespace) are {@code v1/Namespace/shop}.
 */
public final class WorkloadId {

    private WorkloadId() {
    }

    public static String of(JsonNode object) {
        String apiVersion = text(object.path("apiVersion"), "?");
        String kind = text(object.path("kind"), "?");
        String namespace = text(object.path("metadata").path("namespace"), "");
        String name = text(object.path("metadata").path("name"), "?");
        return namespace.isEmpty()
                ? apiVersion + "/" + kind + "/" + name
                : apiVersion + "/" + kind + "/" + namespace + "/" + name;
    }

    private static String text(JsonNode node, String otherwise) {
        return node.isTextual() && !node.asText().isBlank() ? node.asText() : otherwise;
    }
}
