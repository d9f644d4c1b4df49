package dev.drawbridge.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;

/** What can be said of a Jackson tree without writing it out. */
public final class JsonTrees {

    private JsonTrees() {
    }

    /**
     * Whether the JSON of {@code node} certainly reads back as an equal tree, without reading it: only strings,
     * booleans, nulls, finite doubles and integers held in the node type Jackson reads them into (int, then
     * long, then big integer, by size). For anything else the JSON has to be read back and compared.
     */
    public static boolean readsBackAsItIs(JsonNode node) {
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
