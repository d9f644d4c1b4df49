package dev.drawbridge.apply.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Field ownership as the real API server keeps it (structured-merge-diff), for the test API server: each write
 * records, in {@code metadata.managedFields}, which field manager owns which fields ({@code fieldsV1}, per manager
 * and operation), and a server-side apply by manager M merges M's fields into the object and removes only fields
 * M applied before and no longer applies and nobody else owns: what other managers own stays.
 * <ul>
 *   <li>Apply (PATCH {@code application/apply-patch+yaml}): the object is the live one merged with the applied
 *       configuration; M's set becomes the configuration's fields; fields M applied last time, not this time and
 *       owned by nobody else are removed; with {@code force}, conflicting fields of other managers pass to M,
 *       without it they are a 409 Conflict.</li>
 *   <li>Update (POST, PUT, JSON patch, merge patch): the manager (the {@code fieldManager} parameter, else the
 *       user agent up to its first {@code /}, as the API server does) gains the fields it added or changed;
 *       other managers lose them; removed fields leave every manager. Managed fields sent in the request body
 *       replace the live ones first (the API server honours them, so a client can drop another manager's entry).</li>
 *   <li>Lists are merged by key where Kubernetes' schema makes them associative ({@code containers},
 *       {@code initContainers}, {@code volumes}, {@code env}, {@code imagePullSecrets} by {@code name},
 *       {@code volumeMounts} by {@code mountPath}, {@code ports} by port and protocol); other lists are atomic.</li>
 *   <li>Defaults the API server fills in (a Deployment's {@code progressDeadlineSeconds},
 *       {@code revisionHistoryLimit}, a container's {@code terminationMessagePath} and
 *       {@code terminationMessagePolicy}) are set on every write and owned by no manager.</li>
 * </ul>
 * Not covered: conversion between versions, sets ({@code v:}) and granular status ownership (status is left out).
 */
final class FieldOwnership {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TIME = "2026-01-01T00:00:00Z";

    /** What the API server strips before tracking fields. */
    private static final Set<String> UNTRACKED_METADATA = Set.of("name", "namespace", "uid", "resourceVersion",
            "generation", "creationTimestamp", "managedFields", "selfLink", "deletionTimestamp",
            "deletionGracePeriodSeconds", "generateName");

    /** A field path: path elements as in fieldsV1 ({@code f:spec}, {@code k:{"name":"api"}}). */
    private record Path(List<String> elements) {
        Path child(String element) {
            List<String> next = new ArrayList<>(elements);
            next.add(element);
            return new Path(List.copyOf(next));
        }

        boolean isUnder(Path other) {
            return elements.size() > other.elements.size() && elements.subList(0, other.elements.size()).equals(other.elements);
        }
    }

    /** Thrown on an apply without force that would change another manager's field. */
    static final class Conflict extends RuntimeException {
        Conflict(String message) {
            super(message);
        }
    }

    private record Manager(String name, String operation) {
    }

    private FieldOwnership() {
    }

    /** The object an apply of {@code config} by {@code manager} stores; {@code live} is null when absent. */
    static ObjectNode apply(ObjectNode live, ObjectNode config, String manager, boolean force) {
        Map<Manager, Set<Path>> managers = live == null ? new LinkedHashMap<>() : managers(live);
        ObjectNode merged = live == null ? JSON.createObjectNode() : live.deepCopy();
        merge(merged, config);
        Manager applier = new Manager(manager, "Apply");
        Set<Path> last = managers.getOrDefault(applier, Set.of());
        Set<Path> now = fieldSet(config);
        for (Path path : last) {
            boolean ownedElsewhere = managers.entrySet().stream().filter(e -> !e.getKey().equals(applier))
                    .anyMatch(e -> e.getValue().contains(path));
            if (!now.contains(path) && !ownedElsewhere && now.stream().noneMatch(p -> p.isUnder(path))) {
                remove(merged, path);
            }
        }
        defaults(merged);
        Changes changes = compare(live == null ? JSON.createObjectNode() : live, merged);
        Set<Path> changed = new LinkedHashSet<>(changes.added());
        changed.addAll(changes.modified());
        List<String> conflicts = new ArrayList<>();
        for (Map.Entry<Manager, Set<Path>> entry : managers.entrySet()) {
            if (entry.getKey().equals(applier)) {
                continue;
            }
            Set<Path> lost = new LinkedHashSet<>(entry.getValue());
            lost.retainAll(changed);
            if (!lost.isEmpty()) {
                conflicts.add(entry.getKey().name() + " owns " + lost.iterator().next().elements());
            }
            if (force) {
                entry.getValue().removeAll(changed);
            }
            entry.getValue().removeAll(changes.removed());
        }
        if (!force && !conflicts.isEmpty()) {
            throw new Conflict("Apply failed with " + conflicts.size() + " conflicts: " + String.join("; ", conflicts));
        }
        managers.put(applier, now);
        write(merged, managers);
        return merged;
    }

    /** The object an update to {@code updated} by {@code manager} stores; {@code live} is null on a create. */
    static ObjectNode update(ObjectNode live, ObjectNode updated, String manager) {
        ObjectNode next = updated.deepCopy();
        JsonNode sent = next.path("metadata").path("managedFields");
        Map<Manager, Set<Path>> managers = sent.isArray() && !sent.isEmpty() ? managers(next)
                : live == null ? new LinkedHashMap<>() : managers(live);
        defaults(next);
        Changes changes = compare(live == null ? JSON.createObjectNode() : live, next);
        Set<Path> changed = new LinkedHashSet<>(changes.added());
        changed.addAll(changes.modified());
        Manager updater = new Manager(manager, "Update");
        for (Map.Entry<Manager, Set<Path>> entry : managers.entrySet()) {
            if (!entry.getKey().equals(updater)) {
                entry.getValue().removeAll(changed);
                entry.getValue().removeAll(changes.removed());
            }
        }
        Set<Path> own = managers.computeIfAbsent(updater, m -> new LinkedHashSet<>());
        own.addAll(changed);
        own.removeAll(changes.removed());
        write(next, managers);
        return next;
    }

    // ---- field sets -----------------------------------------------------------------------------------------

    /** The fields an applied configuration sets: leaves, empty maps, atomic lists, and keyed list items. */
    private static Set<Path> fieldSet(ObjectNode config) {
        Set<Path> set = new LinkedHashSet<>();
        for (Map.Entry<String, JsonNode> field : tracked(config).entrySet()) {
            leaves(field.getKey(), field.getValue(), new Path(List.of("f:" + field.getKey())), set);
        }
        return set;
    }

    private static void leaves(String name, JsonNode value, Path path, Set<Path> set) {
        if (value.isObject() && !value.isEmpty()) {
            value.fields().forEachRemaining(f -> leaves(f.getKey(), f.getValue(), path.child("f:" + f.getKey()), set));
        } else if (value.isArray() && keys(name, value) != null) {
            for (JsonNode item : value) {
                Path itemPath = path.child(key(name, item));
                set.add(itemPath);
                item.fields().forEachRemaining(f -> leaves(f.getKey(), f.getValue(), itemPath.child("f:" + f.getKey()), set));
            }
        } else {
            set.add(path);
        }
    }

    /** Every path of a value, itself included: what is added or removed with it. */
    private static void all(String name, JsonNode value, Path path, Set<Path> set) {
        set.add(path);
        if (value.isObject()) {
            value.fields().forEachRemaining(f -> all(f.getKey(), f.getValue(), path.child("f:" + f.getKey()), set));
        } else if (value.isArray() && keys(name, value) != null) {
            for (JsonNode item : value) {
                all(name, item, path.child(key(name, item)), set);
            }
        }
    }

    private record Changes(Set<Path> added, Set<Path> modified, Set<Path> removed) {
    }

    private static Changes compare(ObjectNode before, ObjectNode after) {
        Changes changes = new Changes(new LinkedHashSet<>(), new LinkedHashSet<>(), new LinkedHashSet<>());
        Map<String, JsonNode> old = tracked(before);
        Map<String, JsonNode> now = tracked(after);
        compareFields(old, now, new Path(List.of()), changes);
        return changes;
    }

    private static void compareFields(Map<String, JsonNode> old, Map<String, JsonNode> now, Path path, Changes changes) {
        Set<String> names = new LinkedHashSet<>(old.keySet());
        names.addAll(now.keySet());
        for (String name : names) {
            Path child = path.child("f:" + name);
            JsonNode a = old.get(name);
            JsonNode b = now.get(name);
            if (a == null) {
                all(name, b, child, changes.added());
            } else if (b == null) {
                all(name, a, child, changes.removed());
            } else {
                compareValues(name, a, b, child, changes);
            }
        }
    }

    private static void compareValues(String name, JsonNode a, JsonNode b, Path path, Changes changes) {
        if (a.isObject() && b.isObject()) {
            compareFields(fields(a), fields(b), path, changes);
        } else if (a.isArray() && b.isArray() && keys(name, a) != null && keys(name, b) != null) {
            Map<String, JsonNode> old = items(name, a);
            Map<String, JsonNode> now = items(name, b);
            Set<String> itemKeys = new LinkedHashSet<>(old.keySet());
            itemKeys.addAll(now.keySet());
            for (String key : itemKeys) {
                Path item = path.child(key);
                if (!old.containsKey(key)) {
                    all(name, now.get(key), item, changes.added());
                } else if (!now.containsKey(key)) {
                    all(name, old.get(key), item, changes.removed());
                } else {
                    compareFields(fields(old.get(key)), fields(now.get(key)), item, changes);
                }
            }
        } else if (!a.equals(b)) {
            changes.modified().add(path);
        }
    }

    private static Map<String, JsonNode> tracked(JsonNode object) {
        Map<String, JsonNode> fields = fields(object);
        fields.remove("apiVersion");
        fields.remove("kind");
        fields.remove("status");
        if (fields.get("metadata") instanceof ObjectNode metadata) {
            Map<String, JsonNode> kept = fields(metadata);
            kept.keySet().removeAll(UNTRACKED_METADATA);
            if (kept.isEmpty()) {
                fields.remove("metadata");
            } else {
                ObjectNode copy = JSON.createObjectNode();
                kept.forEach(copy::set);
                fields.put("metadata", copy);
            }
        }
        return fields;
    }

    private static Map<String, JsonNode> fields(JsonNode object) {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        object.fields().forEachRemaining(f -> fields.put(f.getKey(), f.getValue()));
        return fields;
    }

    // ---- associative lists ----------------------------------------------------------------------------------

    /** The key fields of an associative list, or null when the list is atomic. */
    private static List<String> keys(String name, JsonNode list) {
        if (list.isEmpty() || !list.get(0).isObject()) {
            return null;
        }
        List<String> keys = switch (name) {
            case "containers", "initContainers", "ephemeralContainers", "volumes", "env", "imagePullSecrets" -> List.of("name");
            case "volumeMounts" -> List.of("mountPath");
            case "ports" -> list.get(0).has("containerPort") ? List.of("containerPort", "protocol") : List.of("port", "protocol");
            default -> null;
        };
        if (keys == null) {
            return null;
        }
        for (JsonNode item : list) {
            if (!item.isObject() || !item.has(keys.get(0))) {
                return null;
            }
        }
        return keys;
    }

    /** {@code k:{"name":"api"}}: the key fields sorted, {@code protocol} defaulted to TCP as the API server does. */
    private static String key(String name, JsonNode item) {
        List<String> keys = name.equals("ports") ? item.has("containerPort") ? List.of("containerPort", "protocol")
                : List.of("port", "protocol") : keys(name, JSON.createArrayNode().add(item));
        TreeMap<String, JsonNode> values = new TreeMap<>(Comparator.naturalOrder());
        for (String key : keys) {
            JsonNode value = item.get(key);
            values.put(key, value == null && key.equals("protocol") ? JSON.getNodeFactory().textNode("TCP") : value);
        }
        ObjectNode node = JSON.createObjectNode();
        values.forEach(node::set);
        return "k:" + node;
    }

    private static Map<String, JsonNode> items(String name, JsonNode list) {
        Map<String, JsonNode> items = new LinkedHashMap<>();
        list.forEach(item -> items.put(key(name, item), item));
        return items;
    }

    // ---- merge and remove -----------------------------------------------------------------------------------

    /** Merges {@code config} into {@code target}: maps by field, associative lists by key, the rest replaced. */
    private static void merge(ObjectNode target, ObjectNode config) {
        config.fields().forEachRemaining(field -> {
            String name = field.getKey();
            JsonNode value = field.getValue();
            JsonNode current = target.get(name);
            if (current instanceof ObjectNode object && value.isObject()) {
                merge(object, (ObjectNode) value);
            } else if (current instanceof ArrayNode list && value.isArray() && keys(name, value) != null
                    && (list.isEmpty() || keys(name, list) != null)) {
                for (JsonNode item : value) {
                    ObjectNode match = null;
                    for (JsonNode existing : list) {
                        if (key(name, existing).equals(key(name, item))) {
                            match = (ObjectNode) existing;
                        }
                    }
                    if (match == null) {
                        list.add(item.deepCopy());
                    } else {
                        merge(match, (ObjectNode) item);
                    }
                }
            } else {
                target.set(name, value.deepCopy());
            }
        });
    }

    /** Removes the field or list item at {@code path} from {@code object}, if it is there. */
    private static void remove(ObjectNode object, Path path) {
        JsonNode parent = object;
        String listName = null;
        List<String> elements = path.elements();
        for (int i = 0; i < elements.size(); i++) {
            String element = elements.get(i);
            boolean last = i == elements.size() - 1;
            if (element.startsWith("f:")) {
                String name = element.substring(2);
                if (!(parent instanceof ObjectNode map) || !map.has(name)) {
                    return;
                }
                if (last) {
                    map.remove(name);
                    return;
                }
                parent = map.get(name);
                listName = name;
            } else if (element.startsWith("k:") && parent instanceof ArrayNode list) {
                int index = -1;
                for (int j = 0; j < list.size(); j++) {
                    if (key(listName, list.get(j)).equals(element)) {
                        index = j;
                    }
                }
                if (index < 0) {
                    return;
                }
                if (last) {
                    list.remove(index);
                    return;
                }
                parent = list.get(index);
            } else {
                return;
            }
        }
    }

    // ---- defaults -------------------------------------------------------------------------------------------

    private static void defaults(ObjectNode object) {
        if (!"Deployment".equals(object.path("kind").asText()) || !(object.get("spec") instanceof ObjectNode spec)) {
            return;
        }
        if (!spec.has("progressDeadlineSeconds")) {
            spec.put("progressDeadlineSeconds", 600);
        }
        if (!spec.has("revisionHistoryLimit")) {
            spec.put("revisionHistoryLimit", 10);
        }
        for (JsonNode container : spec.path("template").path("spec").path("containers")) {
            if (container instanceof ObjectNode c) {
                if (!c.has("terminationMessagePath")) {
                    c.put("terminationMessagePath", "/dev/termination-log");
                }
                if (!c.has("terminationMessagePolicy")) {
                    c.put("terminationMessagePolicy", "File");
                }
            }
        }
    }

    // ---- managedFields --------------------------------------------------------------------------------------

    private static Map<Manager, Set<Path>> managers(JsonNode object) {
        Map<Manager, Set<Path>> managers = new LinkedHashMap<>();
        for (JsonNode entry : object.path("metadata").path("managedFields")) {
            if (!entry.has("manager") || !entry.path("subresource").asText("").isEmpty()) {
                continue;
            }
            Set<Path> set = new LinkedHashSet<>();
            readFieldsV1(entry.path("fieldsV1"), new Path(List.of()), set);
            managers.put(new Manager(entry.path("manager").asText(), entry.path("operation").asText("Update")), set);
        }
        return managers;
    }

    private static void readFieldsV1(JsonNode node, Path path, Set<Path> set) {
        node.fields().forEachRemaining(f -> {
            if (f.getKey().equals(".")) {
                set.add(path);
            } else if (f.getValue().isEmpty()) {
                set.add(path.child(f.getKey()));
            } else {
                readFieldsV1(f.getValue(), path.child(f.getKey()), set);
            }
        });
    }

    private static void write(ObjectNode object, Map<Manager, Set<Path>> managers) {
        ArrayNode entries = JSON.createArrayNode();
        managers.forEach((manager, set) -> {
            if (set.isEmpty()) {
                return;
            }
            ObjectNode entry = entries.addObject().put("manager", manager.name()).put("operation", manager.operation())
                    .put("apiVersion", object.path("apiVersion").asText()).put("time", TIME).put("fieldsType", "FieldsV1");
            entry.set("fieldsV1", fieldsV1(set));
        });
        object.withObject("/metadata").set("managedFields", entries);
    }

    /** The fieldsV1 form of a set: a tree of path elements, {@code "."} marking a node owned with its children. */
    static ObjectNode fieldsV1(Set<Path> set) {
        ObjectNode root = JSON.createObjectNode();
        for (Path path : set) {
            ObjectNode node = root;
            for (String element : path.elements()) {
                node = node.withObject("/" + element.replace("~", "~0").replace("/", "~1"));
            }
            node.putObject(".");
        }
        collapse(root);
        return root;
    }

    /** A node whose only child is {@code "."} is a leaf: {@code {}}. */
    private static void collapse(ObjectNode node) {
        node.fields().forEachRemaining(f -> {
            if (f.getValue() instanceof ObjectNode child && !f.getKey().equals(".")) {
                collapse(child);
                if (child.size() == 1 && child.has(".")) {
                    child.removeAll();
                }
            }
        });
    }
}
