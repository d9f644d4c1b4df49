package dev.drawbridge.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.json.Mappers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The last render of one environment, kept between reconciles as compact JSON (a tenth of the size of the
 * Jackson trees: 20 environments of 500 objects were ~30 MB of heap as trees), read back into fresh trees
 * when reused. Objects that would not read back equal (a float that JSON cannot hold, such as {@code .nan})
 * are kept as trees.
 */
record KeptRender(String sha, String path, byte[] json, List<ObjectNode> trees) {

    private static final ObjectMapper JSON = Mappers.TREES;

    static KeptRender of(String sha, String path, List<ObjectNode> objects) {
        ArrayNode array = JSON.createArrayNode().addAll(objects);
        try {
            byte[] json = JSON.writeValueAsBytes(array);
            if (readsBackAsItIs(array) || JSON.readTree(json).equals(array)) {
                return new KeptRender(sha, path, json, null);
            }
        } catch (IOException e) {
            // kept as trees below
        }
        return new KeptRender(sha, path, null, List.copyOf(objects));
    }

    /** Fresh trees, equal to the objects kept, that the caller may change. */
    List<ObjectNode> copy() {
        if (json == null) {
            return trees.stream().map(ObjectNode::deepCopy).toList();
        }
        try {
            List<ObjectNode> objects = new ArrayList<>();
            JSON.readTree(json).forEach(o -> objects.add((ObjectNode) o));
            return objects;
        } catch (IOException e) {
            throw new UncheckedIOException("the kept render no longer reads", e);
        }
    }

    /**
     * Whether the JSON of {@code node} certainly reads back as an equal tree, without reading it: only strings,
     * booleans, nulls, finite doubles and integers held in the node type Jackson reads them into (int, then
     * long, then big integer, by size). For anything else the JSON is read back and compared.
     */
    static boolean readsBackAsItIs(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT, ARRAY -> {
                for (JsonNode child : node) {
                    if (!readsBackAsItIs(child)) {
                        yield false;
                    }
                }
                yield true;
            }
            case STRING, BOOLEAN, NULL -> true;
            case NUMBER -> node instanceof IntNode
                    || node instanceof LongNode && !node.canConvertToInt()
                    || node instanceof BigIntegerNode && !node.canConvertToLong()
                    || node instanceof DoubleNode && Double.isFinite(node.doubleValue());
            default -> false;
        };
    }
}
