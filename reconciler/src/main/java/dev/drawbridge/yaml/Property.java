package dev.drawbridge.yaml;

import java.util.List;
import java.util.Objects;

/**
 * One property to set over a document, such as {@code environments[0].promote-from = acceptance}: its
 * key path below the properties' prefix, its value as text, and where it came from.
 *
 * @param keys   the path: names and list indices, at least one
 * @param value  the text; empty counts as YAML null (the key is absent)
 * @param origin where it came from; problems about it name this
 */
public record Property(List<Key> keys, String value, PropertyOrigin origin) {

    public Property {
        keys = List.copyOf(keys);
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a property needs a key");
        }
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(origin, "origin");
    }

    /** The path as a problem shows it: {@code environments[0].promote-from}. */
    public String path() {
        String path = "";
        for (Key key : keys) {
            path = key.isIndex() ? Paths.index(path, key.index()) : Paths.key(path, key.name());
        }
        return path;
    }

    /**
     * One element of a key path: a name, or an index into a list.
     *
     * @param name  the name, null for an index
     * @param index the index (0 or more), -1 for a name
     */
    public record Key(String name, int index) {
        public Key {
            if ((name == null) == (index < 0)) {
                throw new IllegalArgumentException("a key is either a name or an index");
            }
        }

        public static Key name(String name) {
            return new Key(name, -1);
        }

        public static Key index(int index) {
            return new Key(null, index);
        }

        public boolean isIndex() {
            return name == null;
        }

        @Override
        public String toString() {
            return isIndex() ? "[" + index + "]" : name;
        }
    }
}
