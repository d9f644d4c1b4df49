package dev.drawbridge.render;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kustomize's output parsed into objects, reusing what the last output of the same directory held. Parsing YAML is
 * the costliest part of a render after Kustomize itself (SnakeYAML: ~17 ms for 500 small objects in serve's JVM,
 * where copying the same objects takes ~0.3 ms), and a commit usually changes one object of many. So the output is
 * cut into its documents, and a document whose text was in the directory's last output is answered with copies of
 * the objects it parsed into then; only the others are parsed. Documents are matched by their whole text (a hash
 * map of strings, whose equality is exact), not by a digest of it: with serve's JVM options (C1 only) SHA-256 runs
 * at ~140 MB/s, and the digests of 500 documents took longer than the lookups they served.
 *
 * <p>The output is cut only at lines that are exactly {@code ---}: in YAML such a line at column 0 always starts a
 * document (or is an error), whatever surrounds it, so each piece is one or more whole documents and parses as it
 * would in the whole stream (anchors do not cross documents). Output with directives ({@code %}) or
 * document-end markers ({@code ...}), which could tie a document to the text before its {@code ---}, is parsed
 * whole. When any piece fails to parse, or the pieces hold more objects than allowed, the whole output is parsed
 * again, so that errors and limits read exactly as without reuse. The objects kept are never handed out, only
 * copies of them.
 */
final class OutputDocuments {

    private static final String SEPARATOR = "\n---\n";
    /**
     * 512 Ki characters of YAML kept for all directories together: the documents of ~500 objects of the size of
     * podinfo's, or of the 500 small objects of the reconcile benchmark (~90 Ki); as trees, a few MiB of heap, plus
     * the text itself (a byte a character for ASCII).
     */
    static final long DEFAULT_BUDGET = 512L << 10;

    /**
     * Per directory (checkout root and path), the documents of its last output: the text to the objects it parsed
     * into; the most recently used kept, within {@link #budget} characters of YAML in all.
     */
    private final LinkedHashMap<String, Kept> last = new LinkedHashMap<>(16, 0.75f, true);
    private final long budget;
    private long keptSize;

    /** The documents of one output, and how many characters of YAML they were. */
    private record Kept(Map<String, List<ObjectNode>> documents, long size) {
    }

    OutputDocuments() {
        this(DEFAULT_BUDGET);
    }

    /** @param budget the most characters of YAML whose objects are kept, for all directories together */
    OutputDocuments(long budget) {
        this.budget = budget;
    }

    /** How many documents the last {@link #parse} answered with copies instead of parsing; for tests. */
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
        Map<String, List<ObjectNode>> before = kept(directory);
        Map<String, List<ObjectNode>> now = new HashMap<>();
        long size = 0;
        List<ObjectNode> objects = new ArrayList<>();
        int reused = 0;
        for (String piece : pieces(output)) {
            List<ObjectNode> keep = before.get(piece);
            if (keep != null) {
                reused++;
                keep.forEach(object -> objects.add(object.deepCopy()));
            } else {
                List<ObjectNode> parsed = new ArrayList<>();
                try {
                    new YamlDocuments(maxBytes, maxDocuments).parse(piece, null, "kustomize output", parsed);
                } catch (RenderException e) {
                    lastReused = 0;
                    return parseWhole(output, maxBytes, maxDocuments);       // the error as the whole output gives it
                }
                keep = parsed.stream().map(ObjectNode::deepCopy).toList();
                objects.addAll(parsed);
            }
            if (now.put(piece, keep) == null) {
                size += piece.length();
            }
            if (objects.size() > maxDocuments) {
                lastReused = 0;
                return parseWhole(output, maxBytes, maxDocuments);
            }
        }
        keep(directory, new Kept(now, size));
        lastReused = reused;
        return objects;
    }

    int lastReused() {
        return lastReused;
    }

    private synchronized Map<String, List<ObjectNode>> kept(String directory) {
        Kept kept = last.get(directory);
        return kept == null ? Map.of() : kept.documents();
    }

    /** Keeps a directory's documents in place of its last ones, letting the least recently used go over the budget. */
    private synchronized void keep(String directory, Kept kept) {
        Kept replaced = last.remove(directory);
        if (replaced != null) {
            keptSize -= replaced.size();
        }
        if (kept.size() > budget / 2) {
            return;                                               // larger than is worth keeping: parsed whole each time
        }
        last.put(directory, kept);
        keptSize += kept.size();
        var eldest = last.entrySet().iterator();
        while (keptSize > budget && eldest.hasNext()) {
            keptSize -= eldest.next().getValue().size();
            eldest.remove();
        }
    }

    /** The characters of YAML whose objects are kept, for all directories; for tests. */
    synchronized long keptSize() {
        return keptSize;
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
}
