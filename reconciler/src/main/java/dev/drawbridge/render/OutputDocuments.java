package dev.drawbridge.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.json.JsonTrees;
import dev.drawbridge.json.Mappers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kustomize's output parsed into objects, reusing what the last output of the same directory held. Parsing YAML is
 * the costliest part of a render after Kustomize itself (SnakeYAML: ~17 ms for 500 small objects in serve's JVM,
 * where reading the same objects back from JSON takes ~0.5 ms), and a commit usually changes one object of many. So
 * the output is cut into its documents, and a document whose text (by SHA-256) was in the directory's last output
 * is read back from the JSON of what it parsed into then; only the others are parsed.
 *
 * <p>The output is cut only at lines that are exactly {@code ---}: in YAML such a line at column 0 always starts a
 * document (or is an error), whatever surrounds it, so each piece is one or more whole documents and parses as it
 * would in the whole stream (anchors do not cross documents). Output with directives ({@code %}) or
 * document-end markers ({@code ...}), which could tie a document to the text before its {@code ---}, is parsed
 * whole. When any piece fails to parse, or the pieces hold more objects than allowed, the whole output is parsed
 * again, so that errors and limits read exactly as without reuse. Objects whose JSON would not read back equal
 * (a float JSON cannot hold) are not kept; their documents are parsed every time.
 */
final class OutputDocuments {

    private static final ObjectMapper JSON = Mappers.TREES;
    private static final String SEPARATOR = "\n---\n";
    /**
     * 4 MiB: the documents of ~2,500 objects of the size of podinfo's (an environment of 500 small objects keeps
     * ~0.3 MiB). Kept on the heap of a process that also keeps every environment's last render, so kept small.
     */
    static final long DEFAULT_BUDGET = 4L << 20;

    /**
     * Per directory (checkout root and path), the documents of its last output: SHA-256 of the text to the JSON of its
     * objects; the most recently used first kept, within {@link #budget} bytes of JSON in all.
     */
    private final LinkedHashMap<String, Kept> last = new LinkedHashMap<>(16, 0.75f, true);
    private final long budget;
    private long keptBytes;

    /** The documents of one output, and the bytes of JSON they hold. */
    private record Kept(Map<ByteBuffer, byte[]> documents, long bytes) {
    }

    OutputDocuments() {
        this(DEFAULT_BUDGET);
    }

    /** @param budget the most bytes of JSON kept for all directories together */
    OutputDocuments(long budget) {
        this.budget = budget;
    }

    /** How many documents the last {@link #parse} read back instead of parsing; for tests. */
    private volatile int lastReused;

    /**
     * The objects of {@code output}, in order, as fresh trees the caller may change.
     *
     * @param directory    what identifies the rendered directory across renders (its checkout root and path); null
     *                     to parse without reuse
     * @param maxBytes     the size limit of YAML ({@link dev.drawbridge.yaml.YamlLimits#manifests})
     * @param maxDocuments the most objects the output may hold
     */
    List<ObjectNode> parse(String directory, String output, long maxBytes, int maxDocuments) throws RenderException {
        if (directory == null || output.startsWith("%") || output.contains("\n%") || output.startsWith("...")
                || output.contains("\n...")) {
            lastReused = 0;
            return parseWhole(output, maxBytes, maxDocuments);
        }
        Map<ByteBuffer, byte[]> before = kept(directory);
        Map<ByteBuffer, byte[]> now = new HashMap<>();
        long bytes = 0;
        List<ObjectNode> objects = new ArrayList<>();
        int reused = 0;
        MessageDigest sha256 = sha256();
        for (String piece : pieces(output)) {
            ByteBuffer key = ByteBuffer.wrap(sha256.digest(piece.getBytes(StandardCharsets.UTF_8)));
            byte[] json = before.get(key);
            List<ObjectNode> parsed = json == null ? null : readBack(json);
            if (parsed != null) {
                reused++;
            } else {
                parsed = new ArrayList<>();
                try {
                    new YamlDocuments(maxBytes, maxDocuments).parse(piece, null, "kustomize output", parsed);
                } catch (RenderException e) {
                    lastReused = 0;
                    return parseWhole(output, maxBytes, maxDocuments);       // the error as the whole output gives it
                }
                json = keepable(parsed);
            }
            if (json != null && now.put(key, json) == null) {
                bytes += json.length + 64L;
            }
            objects.addAll(parsed);
            if (objects.size() > maxDocuments) {
                lastReused = 0;
                return parseWhole(output, maxBytes, maxDocuments);
            }
        }
        keep(directory, new Kept(now, bytes));
        lastReused = reused;
        return objects;
    }

    private synchronized Map<ByteBuffer, byte[]> kept(String directory) {
        Kept kept = last.get(directory);
        return kept == null ? Map.of() : kept.documents();
    }

    /** Keeps a directory's documents in place of its last ones, letting the least recently used go over the budget. */
    private synchronized void keep(String directory, Kept kept) {
        Kept replaced = last.remove(directory);
        if (replaced != null) {
            keptBytes -= replaced.bytes();
        }
        if (kept.bytes() > budget / 2) {
            return;                                               // larger than is worth keeping: parsed whole each time
        }
        last.put(directory, kept);
        keptBytes += kept.bytes();
        var eldest = last.entrySet().iterator();
        while (keptBytes > budget && eldest.hasNext()) {
            keptBytes -= eldest.next().getValue().bytes();
            eldest.remove();
        }
    }

    /** The bytes of JSON kept for all directories; for tests. */
    synchronized long keptBytes() {
        return keptBytes;
    }

    int lastReused() {
        return lastReused;
    }

    private static List<ObjectNode> parseWhole(String output, long maxBytes, int maxDocuments) throws RenderException {
        List<ObjectNode> objects = new ArrayList<>();
        new YamlDocuments(maxBytes, maxDocuments).parse(output, null, "kustomize output", objects);
        return objects;
    }

    /** The output cut at each line that is exactly {@code ---}; the separator's line stays out of both pieces. */
    static List<String> pieces(String output) {
        List<String> pieces = new ArrayList<>();
        int from = 0;
        while (true) {
            int at = output.indexOf(SEPARATOR, from);
            if (at < 0) {
                pieces.add(output.substring(from));
                return pieces;
            }
            pieces.add(output.substring(from, at + 1));
            from = at + SEPARATOR.length();
        }
    }

    /** The JSON of a piece's objects, or null when it would not read back as equal trees. */
    private static byte[] keepable(List<ObjectNode> objects) {
        ArrayNode array = JSON.createArrayNode().addAll(objects);
        if (!JsonTrees.readsBackAsItIs(array)) {
            return null;
        }
        try {
            return JSON.writeValueAsBytes(array);
        } catch (IOException e) {
            return null;
        }
    }

    private static List<ObjectNode> readBack(byte[] json) {
        try {
            List<ObjectNode> objects = new ArrayList<>();
            for (JsonNode object : JSON.readTree(json)) {
                objects.add((ObjectNode) object);
            }
            return objects;
        } catch (IOException | ClassCastException e) {
            return null;                                         // parsed again
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
