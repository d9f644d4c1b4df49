package dev.drawbridge.yaml;

import java.util.List;
import java.util.Optional;

/** A node of a parsed YAML document that remembers the line (1-based) it starts on. */
public sealed interface YamlNode permits YamlNode.Mapping, YamlNode.Sequence, YamlNode.Scalar {

    int line();

    /** A short name of the node's kind, for messages: {@code a mapping}, {@code a list}, {@code a value}. */
    String describe();

    /**
     * A mapping with its keys in document order.
     *
     * @param line    line of the mapping (of its first key in block style)
     * @param entries the entries, keys unique
     */
    record Mapping(int line, List<Entry> entries) implements YamlNode {
        public Mapping {
            entries = List.copyOf(entries);
        }

        public Optional<Entry> entry(String key) {
            return entries.stream().filter(e -> e.key().equals(key)).findFirst();
        }

        public Optional<YamlNode> get(String key) {
            return entry(key).map(Entry::value);
        }

        @Override
        public String describe() {
            return "a mapping";
        }
    }

    /** One key of a mapping: its text, the line of the key and the value. */
    record Entry(String key, int keyLine, YamlNode value) {
    }

    record Sequence(int line, List<YamlNode> items) implements YamlNode {
        public Sequence {
            items = List.copyOf(items);
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
     */
    record Scalar(int line, String text, boolean quoted) implements YamlNode {
        public boolean isNull() {
            return text == null;
        }

        @Override
        public String describe() {
            return isNull() ? "nothing (null)" : "a value";
        }
    }
}
