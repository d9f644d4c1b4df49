package dev.drawbridge.apply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.json.Mappers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code metadata.managedFields} of a live object, read: which field manager owns which fields, as the API
 * server records them for server-side apply ({@code fieldsType: FieldsV1}). A {@code fieldsV1} is a tree whose
 * keys are path elements: {@code f:<field>} a field of a map, {@code k:<json object>} the item of an associative
 * list whose key fields have these values ({@code k:{"name":"sidecar"}}, {@code k:{"containerPort":80,"protocol":"TCP"}}),
 * {@code v:<json value>} the item of a set with this value, {@code i:<n>} the item at an index; the key {@code "."}
 * marks a node owned with its children (a list item, a map the manager created), and an empty node {@code {}} is
 * an owned leaf.
 */
final class ManagedFields {

    private static final ObjectMapper JSON = Mappers.TREES;

    private ManagedFields() {
    }

    /**
     * One entry of {@code managedFields}.
     *
     * @param index       its position in the live object's list (for a JSON patch that removes it)
     * @param manager     the field manager ({@code drawbridge}, {@code kubectl-edit}, {@code kube-controller-manager})
     * @param operation   {@code Apply} or {@code Update}
     * @param subresource empty for the object itself, else {@code status}, {@code scale}, ...
     * @param fields      what it owns
     */
    record Entry(int index, String manager, String operation, String subresource, Node fields) {
        Entry {
            Objects.requireNonNull(manager, "manager");
            Objects.requireNonNull(fields, "fields");
        }
    }

    /**
     * One node of a {@code fieldsV1} tree.
     *
     * @param owned    the node itself is owned ({@code "."}, or a leaf {@code {}})
     * @param children by path element, in the server's order
     */
    record Node(boolean owned, Map<String, Node> children) {
        static final Node EMPTY = new Node(false, Map.of());

        Node {
            children = Collections.unmodifiableMap(new LinkedHashMap<>(children));
        }

        Node child(String element) {
            return children.get(element);
        }
    }

    /** The entries of {@code live}; an entry whose {@code fieldsV1} cannot be read is an IllegalArgumentException. */
    static List<Entry> of(JsonNode live) {
        List<Entry> entries = new ArrayList<>();
        JsonNode managed = live.path("metadata").path("managedFields");
        for (int i = 0; i < managed.size(); i++) {
            JsonNode entry = managed.get(i);
            String manager = entry.path("manager").asText("");
            JsonNode fields = entry.path("fieldsV1");
            if (!fields.isMissingNode() && !fields.isNull() && !fields.isObject()) {
                throw new IllegalArgumentException("managedFields[" + i + "] (" + manager + "): fieldsV1 is not an object");
            }
            entries.add(new Entry(i, manager, entry.path("operation").asText(""), entry.path("subresource").asText(""),
                    fields.isObject() ? node(fields, "managedFields[" + i + "]") : Node.EMPTY));
        }
        return entries;
    }

    /** A {@code fieldsV1} tree read; an IllegalArgumentException names what is malformed. */
    static Node node(JsonNode fieldsV1, String where) {
        boolean owned = fieldsV1.isEmpty();
        Map<String, Node> children = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = fieldsV1.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals(".")) {
                owned = true;
                continue;
            }
            if (!field.getValue().isObject()) {
                throw new IllegalArgumentException(where + ": " + field.getKey() + " is not an object");
            }
            element(field.getKey(), where);
            children.put(field.getKey(), node(field.getValue(), where));
        }
        return new Node(owned, children);
    }

    /** A path element, read: its kind ({@code f}, {@code k}, {@code v}, {@code i}) and its value. */
    record Element(char kind, String field, JsonNode value, int index) {
    }

    static Element element(String text, String where) {
        if (text.length() < 2 || text.charAt(1) != ':') {
            throw new IllegalArgumentException(where + ": unknown path element " + text);
        }
        String rest = text.substring(2);
        return switch (text.charAt(0)) {
            case 'f' -> new Element('f', rest, null, -1);
            case 'k' -> {
                JsonNode key = json(rest, where);
                if (!key.isObject() || key.isEmpty()) {
                    throw new IllegalArgumentException(where + ": a list key is not a JSON object: " + text);
                }
                yield new Element('k', null, key, -1);
            }
            case 'v' -> new Element('v', null, json(rest, where), -1);
            case 'i' -> {
                try {
                    yield new Element('i', null, null, Integer.parseInt(rest));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(where + ": not an index: " + text);
                }
            }
            default -> throw new IllegalArgumentException(where + ": unknown path element " + text);
        };
    }

    private static JsonNode json(String text, String where) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": unreadable JSON in path element: " + text);
        }
    }

    /**
     * The position in {@code container} (the live or desired value at the parent path) that {@code element} names,
     * or null when it names nothing there: a field name for a map, an index for a list. A list item matches a
     * key when every key field it has equals the key's value (a key field the item lacks, such as a port's
     * {@code protocol} left to its default in a manifest, matches any value).
     */
    static Object locate(Element element, JsonNode container) {
        if (container == null) {
            return null;
        }
        switch (element.kind()) {
            case 'f' -> {
                return container.isObject() && container.has(element.field()) ? element.field() : null;
            }
            case 'k' -> {
                if (!container.isArray()) {
                    return null;
                }
                for (int i = 0; i < container.size(); i++) {
                    if (matches(container.get(i), (ObjectNode) element.value())) {
                        return i;
                    }
                }
                return null;
            }
            case 'v' -> {
                if (!container.isArray()) {
                    return null;
                }
                for (int i = 0; i < container.size(); i++) {
                    if (Manifests.containedIn(element.value(), container.get(i))
                            && Manifests.containedIn(container.get(i), element.value())) {
                        return i;
                    }
                }
                return null;
            }
            default -> {
                return container.isArray() && element.index() >= 0 && element.index() < container.size() ? element.index() : null;
            }
        }
    }

    private static boolean matches(JsonNode item, ObjectNode key) {
        if (!item.isObject()) {
            return false;
        }
        boolean any = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = key.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = item.get(field.getKey());
            if (value == null) {
                continue;
            }
            if (!Manifests.containedIn(field.getValue(), value) || !Manifests.containedIn(value, field.getValue())) {
                return false;
            }
            any = true;
        }
        return any;
    }

    /** How a path element reads in a report: {@code .spec}, {@code [name=sidecar]}, {@code [=example.com/x]}, {@code [2]}. */
    static String readable(Element element) {
        return switch (element.kind()) {
            case 'f' -> "." + element.field();
            case 'k' -> {
                List<String> parts = new ArrayList<>();
                element.value().fields().forEachRemaining(f -> parts.add(f.getKey() + "=" + f.getValue().asText()));
                yield "[" + String.join(",", parts) + "]";
            }
            case 'v' -> "[=" + element.value().asText() + "]";
            default -> "[" + element.index() + "]";
        };
    }
}
