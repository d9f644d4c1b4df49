package dev.drawbridge.apply.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON patches (RFC 6902, through Fabric8's zjsonpatch: {@code test} ops included) and JSON merge patches
 * (RFC 7386: objects merged, null removes, anything else replaces, lists included) for the test API server,
 * whose own merge patch appends to lists.
 */
final class JsonPatches {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final tools.jackson.databind.ObjectMapper JSON3 = new tools.jackson.databind.ObjectMapper();

    private JsonPatches() {
    }

    /** {@code live} patched; an IllegalArgumentException when the patch does not apply (a failed test, a missing path). */
    static ObjectNode apply(ObjectNode live, String patch) {
        try {
            tools.jackson.databind.JsonNode result = io.fabric8.zjsonpatch.JsonPatch.apply(JSON3.readTree(patch),
                    JSON3.readTree(live.toString()));
            return (ObjectNode) JSON.readTree(result.toString());
        } catch (RuntimeException | java.io.IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** {@code live} with {@code patch} merged as RFC 7386 says. */
    static ObjectNode merge(ObjectNode live, ObjectNode patch) {
        ObjectNode result = live.deepCopy();
        mergeInto(result, patch);
        return result;
    }

    private static void mergeInto(ObjectNode target, ObjectNode patch) {
        patch.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            if (value.isNull()) {
                target.remove(field.getKey());
            } else if (value.isObject() && target.get(field.getKey()) instanceof ObjectNode current) {
                mergeInto(current, (ObjectNode) value);
            } else if (value.isObject()) {
                ObjectNode created = target.putObject(field.getKey());
                mergeInto(created, (ObjectNode) value);
            } else {
                target.set(field.getKey(), value.deepCopy());
            }
        });
    }
}
