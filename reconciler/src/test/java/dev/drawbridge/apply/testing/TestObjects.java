package dev.drawbridge.apply.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Desired objects for tests: multi-document YAML from the classpath, and small edits of object lists. */
public final class TestObjects {

    private static final YAMLMapper YAML = new YAMLMapper();

    private TestObjects() {
    }

    /** The objects of a multi-document YAML resource, e.g. {@code /apply/shop.yaml}. */
    public static List<ObjectNode> load(String resource) {
        try (InputStream in = TestObjects.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + resource);
            }
            return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The objects of a multi-document YAML text. */
    public static List<ObjectNode> parse(String yaml) {
        List<ObjectNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && doc.isObject() && !doc.isEmpty()) {
                    objects.add((ObjectNode) doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }

    /** A deep copy of {@code objects} without the object of this kind and name. */
    public static List<ObjectNode> without(List<ObjectNode> objects, String kind, String name) {
        return copy(objects).stream().filter(o -> !(is(o, kind, name))).toList();
    }

    /** A deep copy of {@code objects} where the object of this kind and name is changed by {@code edit}. */
    public static List<ObjectNode> with(List<ObjectNode> objects, String kind, String name, Consumer<ObjectNode> edit) {
        List<ObjectNode> copy = copy(objects);
        ObjectNode target = copy.stream().filter(o -> is(o, kind, name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no " + kind + " " + name));
        edit.accept(target);
        return copy;
    }

    public static List<ObjectNode> copy(List<ObjectNode> objects) {
        return objects.stream().map(ObjectNode::deepCopy).toList();
    }

    private static boolean is(ObjectNode object, String kind, String name) {
        return kind.equals(object.path("kind").asText()) && name.equals(object.path("metadata").path("name").asText());
    }
}
