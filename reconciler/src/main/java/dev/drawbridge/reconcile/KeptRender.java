package dev.drawbridge.reconcile;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.json.Mappers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * The last render of one environment, kept between reconciles as compact JSON (a tenth of the size of the
 * Jackson trees: 20 environments of 500 objects were ~30 MB of heap as trees), read back into fresh trees
 * when reused, and only when they are read ({@link #objects}): a reconcile that finds nothing to apply reads none.
 * Objects that would not read back equal (a float that JSON cannot hold, such as {@code .nan}) are kept as trees.
 * What the pipeline asks of every render, its owners, is kept beside it. Kept as JSON, each object's own bytes are
 * its {@link Origin}: what the apply is told its objects were made from ({@link #originsOf}).
 *
 * @param ends where each object's JSON ends in {@code json} (null when kept as trees)
 */
record KeptRender(String sha, String path, byte[] json, int[] ends, List<ObjectNode> trees, Owners owners) {

    private static final ObjectMapper JSON = Mappers.TREES;

    static KeptRender of(String sha, String path, List<ObjectNode> objects) {
        Owners owners = Owners.of(objects);
        ArrayNode array = JSON.createArrayNode().addAll(objects);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(objects.size() * 512 + 2);
            int[] ends = new int[objects.size()];
            try (JsonGenerator generator = JSON.createGenerator(out)) {
                generator.writeStartArray();
                for (int i = 0; i < objects.size(); i++) {
                    JSON.writeTree(generator, objects.get(i));
                    generator.flush();
                    ends[i] = out.size();
                }
                generator.writeEndArray();
            }
            byte[] json = out.toByteArray();
            if (readsBackAsItIs(array) || JSON.readTree(json).equals(array)) {
                return new KeptRender(sha, path, json, ends, null, owners);
            }
        } catch (IOException e) {
            // kept as trees below
        }
        return new KeptRender(sha, path, null, null, List.copyOf(objects), owners);
    }

    /**
     * One object of a kept render as its JSON: two objects of equal origins are equal, in what JSON can tell (all
     * that is applied of them), so whatever is made of one alone (pinned, labelled, hashed) is made of the other.
     */
    static final class Origin {
        private final byte[] json;
        private final int from;
        private final int to;

        private Origin(byte[] json, int from, int to) {
            this.json = json;
            this.from = from;
            this.to = to;
        }

        /** The object's JSON. */
        byte[] bytes() {
            return Arrays.copyOfRange(json, from, to);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Origin o && (o.json == json && o.from == from && o.to == to
                    || Arrays.equals(json, from, to, o.json, o.from, o.to));
        }

        @Override
        public int hashCode() {
            int hash = 1;
            for (int i = from; i < to; i++) {
                hash = 31 * hash + json[i];
            }
            return hash;
        }
    }

    /**
     * The origin of each object of a render, in order: those of the kept render its objects were read from (or
     * kept as), or null when they were not (a local directory, objects kept as trees).
     */
    static List<Origin> originsOf(List<ObjectNode> objects) {
        if (!(objects instanceof KeptObjects kept) || kept.render.json() == null) {
            return null;
        }
        KeptRender render = kept.render;
        List<Origin> origins = new ArrayList<>(render.ends.length);
        for (int i = 0; i < render.ends.length; i++) {
            origins.add(new Origin(render.json, i == 0 ? 1 : render.ends[i - 1] + 1, render.ends[i]));
        }
        return origins;
    }

    /** Fresh trees, equal to the objects kept, that the caller may change: read when first asked for. */
    List<ObjectNode> objects() {
        return new KeptObjects(this, null);
    }

    /** {@code fresh}, the trees this render was kept from, which the caller may have: known to be equal to it. */
    List<ObjectNode> objects(List<ObjectNode> fresh) {
        return new KeptObjects(this, List.copyOf(fresh));
    }

    /** The owners of a render's objects: those kept with it when they come from a kept render. */
    static Owners ownersOf(List<ObjectNode> objects) {
        return objects instanceof KeptObjects kept ? kept.render.owners() : Owners.of(objects);
    }

    /** {@code objects} as a list nobody can change: the objects of a kept render as they are (still unread). */
    static List<ObjectNode> unmodifiable(List<ObjectNode> objects) {
        return objects instanceof KeptObjects ? objects : List.copyOf(objects);
    }

    /** The objects of a kept render, read back from it when first used; the list cannot be changed, its trees can. */
    private static final class KeptObjects extends AbstractList<ObjectNode> implements RandomAccess {
        private final KeptRender render;
        private List<ObjectNode> read;

        private KeptObjects(KeptRender render, List<ObjectNode> read) {
            this.render = render;
            this.read = read;
        }

        private synchronized List<ObjectNode> read() {
            if (read == null) {
                read = render.copy();
            }
            return read;
        }

        @Override
        public ObjectNode get(int index) {
            return read().get(index);
        }

        @Override
        public int size() {
            return read().size();
        }
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
