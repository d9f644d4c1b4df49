package dev.drawbridge.yaml;

import java.util.List;
import java.util.Optional;

/** A node of a parsed YAML document that remembers the line (1-based) it starts on. */
public sealed interface YamlNode permits YamlNode.Mapping, YamlNode.Sequence, YamlNode.Scalar {

    int line();

    /** The property that set this node, or null when it was read from the document. */
    PropertyOrigin origin();

    /** A short name of the node's kind, for messages: {@code a mapping}, {@code a list}, {@code a value}. */
    String describe();

    /**
     * A mapping with its keys in document order.
     *
     * @param line    line of the mapping (of its first key in block style)
     * @param entries the entries, keys unique
     * @param origin  the property that made it, or null when the document has it
     */
    record Mapping(int line, List<Entry> entries, PropertyOrigin origin) implements YamlNode {
        public Mapping {
            entries = List.copyOf(entries);
        }

        public Mapping(int line, List<Entry> entries) {
            this(line, entries, null);
        }

        /** The entry of {@code key}: written exactly so, else a property's entry that matches it relaxed. */
        public Optional<Entry> entry(String key) {
            return entries.stream().filter(e -> e.key().equals(key)).findFirst()
                    .or(() -> entries.stream().filter(e -> e.matches(key)).findFirst());
        }

        public Optional<YamlNode> get(String key) {
            return entry(key).map(Entry::value);
        }

        @Override
        public String describe() {
            return "a mapping";
        }
    }

    /**
     * One key of a mapping: its text, the line of the key, the value, and the property that brought the
     * key (null when the document has it).
     */
    record Entry(String key, int keyLine, YamlNode value, PropertyOrigin origin) {
        public Entry(String key, int keyLine, YamlNode value) {
            this(key, keyLine, value, null);
        }

        /** Whether this entry is {@code name}: exactly, or relaxed (case, {@code -}, {@code _}) for a property's key. */
        public boolean matches(String name) {
            return key.equals(name) || origin != null && relaxed(key).equals(relaxed(name));
        }

        /** A key as Spring compares property names: lower case, letters and digits only. */
        public static String relaxed(String key) {
            StringBuilder b = new StringBuilder(key.length());
            for (char c : key.toCharArray()) {
                if (Character.isLetterOrDigit(c)) {
                    b.append(Character.toLowerCase(c));
                }
            }
            return b.toString();
        }
    }

    record Sequence(int line, List<YamlNode> items, PropertyOrigin origin) implements YamlNode {
        public Sequence {
            items = List.copyOf(items);
        }

        public Sequence(int line, List<YamlNode> items) {
            this(line, items, null);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }

    /**
     * A scalar as written.
     *
     * @param text   the text, or null for a YAML null ({@code ~}, {@code null} or nothing)
     * @param quoted whether it was written in quotes (or as a block scalar), so {@code "true"} is text
     * @param origin the property that set it, or null when the document has it
     */
    record Scalar(int line, String text, boolean quoted, PropertyOrigin origin) implements YamlNode {
        public Scalar(int line, String text, boolean quoted) {
            this(line, text, quoted, null);
        }

        public boolean isNull() {
            return text == null;
        }

        @Override
        public String describe() {
            return isNull() ? "nothing (null)" : "a value";
        }
    }
}
