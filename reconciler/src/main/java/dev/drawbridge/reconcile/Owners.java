package dev.drawbridge.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.image.WorkloadId;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who owns what in one render: the value of the label {@code drawbridge.dev/owner} of each object that
 * has one (on the object, else on its pod template), found by either id Drawbridge prints — the
 * workload id of verdicts ({@code apps/v1/Deployment/shop/api}) and the change set id
 * ({@code Deployment/shop/api}). Notifications are routed to owning teams with it.
 */
public record Owners(Map<String, String> byObject) {

    public static final String LABEL = "drawbridge.dev/owner";
    public static final Owners NONE = new Owners(Map.of());

    public Owners {
        byObject = Map.copyOf(byObject);
    }

    /** The owners of the rendered objects; objects without the label are left out. */
    public static Owners of(List<ObjectNode> objects) {
        Map<String, String> owners = new HashMap<>();
        for (ObjectNode object : objects) {
            String owner = label(object.path("metadata"));
            if (owner == null) {
                owner = label(object.path("spec").path("template").path("metadata"));
            }
            if (owner == null) {
                continue;
            }
            owners.put(WorkloadId.of(object), owner);
            owners.put(changeSetId(object), owner);
        }
        return owners.isEmpty() ? NONE : new Owners(owners);
    }

    /** The owners of these objects (by either kind of id), sorted; ids without an owner add nothing. */
    public Set<String> of(Collection<String> ids) {
        Set<String> owners = new TreeSet<>();
        for (String id : ids) {
            String owner = byObject.get(id);
            if (owner != null) {
                owners.add(owner);
            }
        }
        return owners;
    }

    private static String label(JsonNode metadata) {
        JsonNode value = metadata.path("labels").path(LABEL);
        return value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    /** {@code Kind/namespace/name} or {@code Kind/name}, as the applier names objects in change sets. */
    private static String changeSetId(JsonNode object) {
        String kind = object.path("kind").asText("?");
        String namespace = object.path("metadata").path("namespace").asText("");
        String name = object.path("metadata").path("name").asText("?");
        return namespace.isEmpty() ? kind + "/" + name : kind + "/" + namespace + "/" + name;
    }
}
