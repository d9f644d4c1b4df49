package dev.drawbridge.apply.inventory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.apply.Cluster;
import dev.drawbridge.apply.Manifests;
import dev.drawbridge.apply.ObjectRef;
import dev.drawbridge.json.Mappers;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an environment applied, kept in the cluster as the ConfigMap {@code drawbridge-inventory-<env>} in the
 * inventory namespace: key {@code inventory.json} holds a JSON array of {apiVersion, kind, namespace, name},
 * sorted by id. Objects are matched by group, kind, namespace and name (not version), so a changed apiVersion
 * of the same object does not prune it.
 */
public final class Inventory {

    static final String NAME_PREFIX = "drawbridge-inventory-";
    static final String DATA_KEY = "inventory.json";

    private static final ObjectMapper JSON = Mappers.TREES;

    private final Cluster cluster;
    private final String namespace;

    public Inventory(Cluster cluster, String namespace) {
        this.cluster = cluster;
        this.namespace = namespace;
    }

    /** The key objects are matched by: group, kind, namespace, name. */
    public static String key(ObjectRef ref) {
        return ref.group() + "/" + ref.kind() + "/" + (ref.namespace() == null ? "" : ref.namespace()) + "/" + ref.name();
    }

    public static Map<String, ObjectRef> byKey(Collection<ObjectRef> refs) {
        Map<String, ObjectRef> map = new LinkedHashMap<>();
        refs.forEach(ref -> map.put(key(ref), ref));
        return map;
    }

    public ObjectRef configMap(String environment) {
        return new ObjectRef("v1", "ConfigMap", namespace, NAME_PREFIX + environment);
    }

    /** The objects the environment applied last, by key; empty when it never applied anything. */
    public Map<String, ObjectRef> read(String environment) {
        ObjectNode configMap = cluster.get(configMap(environment));
        if (configMap == null) {
            return Map.of();
        }
        JsonNode data = configMap.path("data").path(DATA_KEY);
        if (!data.isTextual()) {
            throw new IllegalStateException("no " + DATA_KEY + " in ConfigMap/" + namespace + "/" + NAME_PREFIX + environment);
        }
        List<ObjectRef> refs = new ArrayList<>();
        try {
            for (JsonNode entry : JSON.readTree(data.asText())) {
                refs.add(new ObjectRef(text(entry, "apiVersion"), text(entry, "kind"),
                        entry.path("namespace").asText(null), text(entry, "name")));
            }
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalStateException("unreadable " + DATA_KEY + " in ConfigMap/" + namespace + "/"
                    + NAME_PREFIX + environment + ": " + e.getMessage(), e);
        }
        return byKey(refs);
    }

    private static String text(JsonNode entry, String field) {
        JsonNode value = entry.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new IllegalArgumentException("entry without " + field + ": " + entry);
        }
        return value.asText();
    }

    /** Writes the inventory (server-side apply), creating the inventory namespace when it does not exist. */
    public void write(String environment, Collection<ObjectRef> refs) {
        ObjectRef namespaceRef = new ObjectRef("v1", "Namespace", null, namespace);
        if (cluster.get(namespaceRef) == null) {
            ObjectNode ns = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Namespace");
            ns.putObject("metadata").put("name", namespace)
                    .putObject("labels").put(Manifests.MANAGED_BY, Manifests.MANAGER);
            cluster.apply(namespaceRef, ns);
        }
        ArrayNode entries = JSON.createArrayNode();
        refs.stream().sorted(ObjectRef.BY_ID).forEach(ref -> {
            ObjectNode entry = entries.addObject().put("apiVersion", ref.apiVersion()).put("kind", ref.kind());
            if (ref.namespace() != null) {
                entry.put("namespace", ref.namespace());
            }
            entry.put("name", ref.name());
        });
        ObjectRef ref = configMap(environment);
        ObjectNode configMap = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
        ObjectNode metadata = configMap.putObject("metadata").put("name", ref.name()).put("namespace", namespace);
        metadata.putObject("labels").put(Manifests.MANAGED_BY, Manifests.MANAGER).put(Manifests.ENVIRONMENT, environment);
        configMap.putObject("data").put("environment", environment).put(DATA_KEY, entries.toPrettyString());
        cluster.apply(ref, configMap);
    }
}
