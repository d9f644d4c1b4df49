package dev.drawbridge.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.yaml.YamlLimits;
import dev.drawbridge.yaml.YamlLoader;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Parses multi-document YAML into Kubernetes objects, with limits that make hostile input fail fast.
 *
 * <p>SnakeYAML is used directly rather than through Jackson's YAML parser because Jackson reports an
 * alias ({@code *x}) as the string {@code "x"} instead of the anchored value: silently wrong data.
 * SnakeYAML composes and constructs with YAML 1.1 semantics (merge keys, {@code yes} is a boolean), as
 * {@code kubectl apply} does, and enforces alias, nesting, size and duplicate-key limits (set up by
 * {@link YamlLoader} within {@link YamlLimits#manifests}). The constructed value is then copied into
 * Jackson nodes under a node budget, so that the few aliases that are allowed cannot expand into a
 * billion laughs.
 */
final class YamlDocuments {

    private final YamlLimits limits;
    private int documentsSeen;

    /** Within {@link YamlLimits#manifests}: the size and number of objects the render settings allow. */
    YamlDocuments(long maxBytes, int maxDocuments) {
        this.limits = YamlLimits.manifests(maxBytes, maxDocuments);
    }

    /**
     * Parses {@code text}, appending its objects to {@code out}.
     *
     * @param file       the file for messages (relative path), or null for Kustomize output
     * @param label      how to name a document when {@code file} is null, e.g. "kustomize output"
     */
    void parse(String text, String file, String label, List<ObjectNode> out) throws RenderException {
        Composer composer = YamlLoader.composer(text, limits);
        Builder builder = new Builder(YamlLoader.options(limits));
        int index = 0; // the document being read, 1-based, for messages
        try {
            while (true) {
                index++;
                if (!composer.checkNode()) {
                    break;
                }
                Node node = composer.getNode();
                int line = node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
                refuseDuplicateKeys(node, file, label, index);
                Object value = builder.build(node);
                if (value == null) {
                    continue; // an empty document, e.g. a leading or trailing "---"
                }
                Where where = new Where(file, line, label, index);
                JsonNode json = new Converter(where, limits).convert(value, 0);
                addObjects(json, where, out);
            }
        } catch (MarkedYAMLException e) {
            throw markedError(e, file, label, index);
        } catch (YAMLException e) {
            // limits without a position, e.g. the code point limit or the alias limit
            throw where(file, label, index).error(0, e.getMessage());
        }
    }

    /**
     * Kubernetes refuses duplicate keys. SnakeYAML's constructor takes its duplicate-key setting from its
     * own field (only the {@code Yaml} facade copies it from LoaderOptions) and otherwise keeps the last
     * value silently, so duplicates are checked here, on the composed tree, where each key has its line.
     */
    private static void refuseDuplicateKeys(Node document, String file, String label, int index) throws RenderException {
        java.util.Set<Node> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.Deque<Node> pending = new java.util.ArrayDeque<>(List.of(document));
        while (!pending.isEmpty()) {
            Node node = pending.pop();
            if (!seen.add(node)) {
                continue; // an alias to a node already checked
            }
            if (node instanceof MappingNode mapping) {
                java.util.Set<String> keys = new java.util.HashSet<>();
                for (NodeTuple tuple : mapping.getValue()) {
                    Node key = tuple.getKeyNode();
                    if (key instanceof ScalarNode scalar && !Tag.MERGE.equals(key.getTag()) && !keys.add(scalar.getValue())) {
                        throw new Where(file, 0, label, index).error(key.getStartMark().getLine() + 1,
                                "duplicate key " + scalar.getValue());
                    }
                    pending.push(key);
                    pending.push(tuple.getValueNode());
                }
            } else if (node instanceof SequenceNode sequence) {
                sequence.getValue().forEach(pending::push);
            }
        }
    }

    private void addObjects(JsonNode json, Where where, List<ObjectNode> out) throws RenderException {
        if (!json.isObject()) {
            throw where.error(where.line, "document " + where.index + " is not a mapping (Kubernetes object) but "
                    + describe(json));
        }
        ObjectNode object = (ObjectNode) json;
        requireType(object, where, "document " + where.index);
        if (object.get("kind").asText().endsWith("List") && object.path("items").isArray()) {
            JsonNode items = object.path("items");
            int i = 0;
            for (JsonNode item : items) {
                String what = "document " + where.index + " items[" + i++ + "]";
                if (!item.isObject()) {
                    throw where.error(where.line, what + " is not a mapping but " + describe(item));
                }
                requireType((ObjectNode) item, where, what);
                requireName((ObjectNode) item, where, what);
                count(where);
                out.add((ObjectNode) item);
            }
            return;
        }
        requireName(object, where, "document " + where.index);
        count(where);
        out.add(object);
    }

    private void count(Where where) throws RenderException {
        if (++documentsSeen > limits.maxDocuments()) {
            throw where.error(0, "more than " + limits.maxDocuments() + " objects");
        }
    }

    private static void requireType(ObjectNode object, Where where, String what) throws RenderException {
        for (String field : List.of("apiVersion", "kind")) {
            JsonNode value = object.get(field);
            if (value == null || !value.isTextual() || value.asText().isBlank()) {
                throw where.error(where.line, what + " has no " + field);
            }
        }
    }

    private static void requireName(ObjectNode object, Where where, String what) throws RenderException {
        // an unnamed object cannot be applied; generateName is not supported by server-side apply
        JsonNode name = object.path("metadata").path("name");
        if (!name.isTextual() || name.asText().isBlank()) {
            throw where.error(where.line, what + " (" + object.get("kind").asText() + ") has no metadata.name");
        }
    }

    private static String describe(JsonNode node) {
        if (node.isArray()) {
            return "a sequence";
        }
        if (node.isTextual()) {
            String text = node.asText();
            return "the scalar \"" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "\"";
        }
        return "the scalar " + node;
    }

    private static RenderException markedError(MarkedYAMLException e, String file, String label, int index) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        int line = mark == null ? 0 : mark.getLine() + 1;
        String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
        String context = e.getContext();
        String message = context == null || context.isBlank() ? problem : context + ": " + problem;
        return where(file, label, index).error(line, message.strip());
    }

    private static Where where(String file, String label, int index) {
        return new Where(file, 0, label, index);
    }

    /** Where a document is, for messages: a file and line, or "kustomize output document N". */
    private record Where(String file, int line, String label, int index) {
        RenderException error(int atLine, String problem) {
            if (file != null) {
                return new RenderException(file, atLine, problem);
            }
            // Kustomize output has no file; the document index lets a user find it in `kustomize build`.
            String text = problem.startsWith("document ") ? problem : "document " + index + ": " + problem;
            return new RenderException(label + " " + text);
        }
    }

    /** Constructs one composed document with SafeConstructor; timestamps stay strings as in Kubernetes. */
    private static final class Builder extends SafeConstructor {
        Builder(LoaderOptions options) {
            super(options);
            this.yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
        }

        Object build(Node node) {
            return constructDocument(node);
        }
    }

    /** Copies a constructed value into Jackson nodes, counting nodes so aliases cannot multiply it. */
    private static final class Converter {
        private final Where where;
        private final YamlLimits limits;
        private int nodes;

        Converter(Where where, YamlLimits limits) {
            this.where = where;
            this.limits = limits;
        }

        JsonNode convert(Object value, int depth) throws RenderException {
            if (++nodes > limits.maxNodes() || depth > limits.maxDepth()) {
                throw where.error(where.line, "document " + where.index + " expands to more than "
                        + limits.maxNodes() + " nodes or " + limits.maxDepth() + " levels (YAML aliases?)");
            }
            JsonNodeFactory f = JsonNodeFactory.instance;
            if (value == null) {
                return f.nullNode();
            }
            if (value instanceof Map<?, ?> map) {
                ObjectNode object = f.objectNode();
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    Object key = entry.getKey();
                    if (key instanceof Map || key instanceof Collection) {
                        throw where.error(where.line, "document " + where.index + " has a mapping key that is not a scalar");
                    }
                    object.set(String.valueOf(key), convert(entry.getValue(), depth + 1));
                }
                return object;
            }
            if (value instanceof Collection<?> list) {
                ArrayNode array = f.arrayNode();
                for (Object item : list) {
                    array.add(convert(item, depth + 1));
                }
                return array;
            }
            if (value instanceof String s) {
                return f.textNode(s);
            }
            if (value instanceof Boolean b) {
                return f.booleanNode(b);
            }
            if (value instanceof Integer i) {
                return f.numberNode(i);
            }
            if (value instanceof Long l) {
                return f.numberNode(l);
            }
            if (value instanceof BigInteger b) {
                return f.numberNode(b);
            }
            if (value instanceof Double d) {
                return f.numberNode(d);
            }
            if (value instanceof BigDecimal d) {
                return f.numberNode(d);
            }
            if (value instanceof byte[] bytes) {
                return f.textNode(Base64.getEncoder().encodeToString(bytes));
            }
            if (value instanceof Object[] items) {
                return convert(List.of(items), depth);
            }
            return f.textNode(String.valueOf(value));
        }
    }
}
