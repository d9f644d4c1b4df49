package dev.drawbridge.render;

import dev.drawbridge.yaml.YamlLimits;
import dev.drawbridge.yaml.YamlLoader;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads kustomizations and plugin configurations the way Kustomize does, as far as the scan needs it:
 * YAML is turned into JSON and decoded into Go structs, so a field name matches case-insensitively
 * ({@code Patches}, {@code PATH}, even {@code patcheſ}), a merge key ({@code <<}) adds the fields of the
 * mapping it names, and a {@code !!binary} scalar is its decoded bytes. A scan that compared names
 * exactly would miss all three.
 */
final class KustomizationYaml {

    private static final int MAX_MERGE_DEPTH = 20;

    /** A field of a mapping: its name as written, its name folded for comparison, its value, the line of its name. */
    record Field(String name, String folded, Node value, int line) {
    }

    /** An element of a list field, or the field's value itself when it is not a list ({@code index} -1). */
    record Item(int index, Node node) {
        String field(String prefix) {
            return index < 0 ? prefix : prefix + "[" + index + "]";
        }
    }

    private KustomizationYaml() {
    }

    static List<Node> all(String text, String file) throws RenderException {
        Composer composer = YamlLoader.composer(text, YamlLimits.KUSTOMIZATION);
        List<Node> documents = new ArrayList<>();
        try {
            while (composer.checkNode()) {
                documents.add(composer.getNode());
            }
            return documents;
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new RenderException(file, mark == null ? 0 : mark.getLine() + 1,
                    e.getProblem() == null ? e.getMessage() : e.getProblem());
        } catch (YAMLException e) {
            throw new RenderException(file, 0, e.getMessage());
        }
    }

    /** True when {@code text} parses as YAML holding a mapping or a list (an inline configuration or patch). */
    static boolean structured(String text) {
        try {
            return all(text, null).stream().anyMatch(n -> n instanceof MappingNode || n instanceof SequenceNode);
        } catch (RenderException e) {
            return false;
        }
    }

    /**
     * The fields of a mapping, those brought in by merge keys included; a duplicate (by folded name) is
     * kept, since every one of them is checked.
     */
    static List<Field> fields(Node node, String file) throws RenderException {
        List<Field> out = new ArrayList<>();
        if (node instanceof MappingNode mapping) {
            collect(mapping, file, out, 0);
        }
        return out;
    }

    private static void collect(MappingNode mapping, String file, List<Field> out, int depth) throws RenderException {
        if (depth > MAX_MERGE_DEPTH) {
            throw new RenderException(file, line(mapping), "merge keys nested too deep");
        }
        for (NodeTuple tuple : mapping.getValue()) {
            Node key = tuple.getKeyNode();
            Node value = tuple.getValueNode();
            if (key instanceof ScalarNode k && (k.getTag().equals(Tag.MERGE) || k.getValue().equals("<<"))) {
                if (value instanceof MappingNode merged) {
                    collect(merged, file, out, depth + 1);
                } else if (value instanceof SequenceNode list) {
                    for (Node each : list.getValue()) {
                        if (each instanceof MappingNode merged) {
                            collect(merged, file, out, depth + 1);
                        }
                    }
                }
                continue;
            }
            String name = key instanceof ScalarNode k ? text(k) : "";
            out.add(new Field(name, fold(name), value, line(key)));
        }
    }

    /** The elements of a list field; a single value is one item with index -1. */
    static List<Item> items(Node node) {
        if (node instanceof SequenceNode list) {
            List<Item> out = new ArrayList<>();
            for (int i = 0; i < list.getValue().size(); i++) {
                out.add(new Item(i, list.getValue().get(i)));
            }
            return out;
        }
        return node == null ? List.of() : List.of(new Item(-1, node));
    }

    /** A scalar's string as Kustomize sees it: {@code !!binary} decoded. */
    static String text(ScalarNode scalar) {
        if (Tag.BINARY.equals(scalar.getTag())) {
            try {
                return new String(Base64.getMimeDecoder().decode(scalar.getValue()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException notBase64) {
                return scalar.getValue();
            }
        }
        return scalar.getValue();
    }

    /**
     * Case folding as Go's JSON decoder matches field names: every character to upper and then to lower
     * case, so that {@code ſ} (long s) matches {@code s} and {@code K} (Kelvin) matches {@code k}.
     */
    static String fold(String name) {
        StringBuilder b = new StringBuilder(name.length());
        name.codePoints().forEach(c -> b.appendCodePoint(Character.toLowerCase(Character.toUpperCase(c))));
        return b.toString();
    }

    static int line(Node node) {
        return node == null || node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }
}
