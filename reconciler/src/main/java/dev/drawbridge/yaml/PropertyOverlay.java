package dev.drawbridge.yaml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sets properties over a document's tree, so that one validation reads both: each property replaces the
 * value at its path or adds it, and the rest of the document stays. Names match relaxed (case,
 * {@code -} and {@code _} do not count); list items merge by index ({@code environments[0].interval} changes
 * the first environment's interval), an index one past the end adds an item, and an index further out is
 * a problem (items are numbered without gaps). Of several properties with the same name, the first one
 * given wins, so callers pass them highest precedence first. An empty value is YAML null: the key counts
 * as absent, as {@code key:} with nothing does in a file.
 */
public final class PropertyOverlay {

    private PropertyOverlay() {
    }

    /**
     * The tree with the properties set over it.
     *
     * @param base       the document's tree (an empty mapping with an origin when there is no document)
     * @param properties highest precedence first
     * @param problems   receives conflicts between properties and gaps in list indices
     */
    public static YamlNode apply(YamlNode base, List<Property> properties, Problems problems) {
        if (properties.isEmpty() || !(base instanceof YamlNode.Mapping mapping)) {
            return base; // a document that is not a mapping is reported by its reader
        }
        MMap root = MMap.of(mapping);
        for (Property property : ordered(properties)) {
            set(root, property, problems);
        }
        return root.build();
    }

    /** The first of each name (relaxed), sorted so that a list's items come in index order and parents first. */
    private static List<Property> ordered(List<Property> properties) {
        Map<String, Property> first = new LinkedHashMap<>();
        for (Property p : properties) {
            first.putIfAbsent(relaxedPath(p), p);
        }
        List<Property> sorted = new ArrayList<>(first.values());
        sorted.sort(PropertyOverlay::compare);
        return sorted;
    }

    private static String relaxedPath(Property p) {
        StringBuilder b = new StringBuilder();
        for (Property.Key key : p.keys()) {
            b.append(key.isIndex() ? "[" + key.index() + "]" : "." + YamlNode.Entry.relaxed(key.name()));
        }
        return b.toString();
    }

    private static int compare(Property a, Property b) {
        int n = Math.min(a.keys().size(), b.keys().size());
        for (int i = 0; i < n; i++) {
            Property.Key x = a.keys().get(i);
            Property.Key y = b.keys().get(i);
            int c;
            if (x.isIndex() && y.isIndex()) {
                c = Integer.compare(x.index(), y.index());
            } else if (x.isIndex() != y.isIndex()) {
                c = x.isIndex() ? 1 : -1;
            } else {
                c = YamlNode.Entry.relaxed(x.name()).compareTo(YamlNode.Entry.relaxed(y.name()));
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.keys().size(), b.keys().size());
    }

    private static void set(MMap root, Property p, Problems problems) {
        PropertyOrigin origin = p.origin();
        Object container = root;
        String path = "";
        List<Property.Key> keys = p.keys();
        for (int i = 0; i < keys.size(); i++) {
            Property.Key key = keys.get(i);
            path = key.isIndex() ? Paths.index(path, key.index()) : Paths.key(path, key.name());
            if (container instanceof MList list && key.isIndex() && key.index() > list.items.size()) {
                problems.add(origin, 0, path, "no item [" + list.items.size() + "] before it (list items are numbered from 0,"
                        + " without gaps; " + list.items.size() + " so far)");
                return;
            }
            if (container instanceof MMap && key.isIndex() || container instanceof MList && !key.isIndex()) {
                problems.add(origin, 0, path, "expected " + (key.isIndex() ? "a key name, not an index" : "an index such as [0]")
                        + " here");
                return;
            }
            Object child = get(container, key);
            if (i == keys.size() - 1) {
                if (setByOtherProperty(child)) {
                    problems.add(origin, 0, path, "conflicts with keys below it (" + originOf(child).describe() + ")");
                    return;
                }
                put(container, key, leaf(p), origin);
                return;
            }
            boolean wantList = keys.get(i + 1).isIndex();
            if (wantList ? child instanceof MList : child instanceof MMap) {
                container = child;
                continue;
            }
            if (setByOtherProperty(child)) {
                problems.add(origin, 0, p.path(), "conflicts with " + originOf(child).name(path) + " set to "
                        + (child instanceof YamlNode.Scalar ? "a single value" : wantList ? "keys" : "a list")
                        + " (" + originOf(child).describe() + ")");
                return;
            }
            Object fresh = wantList ? new MList(origin.line(), origin) : new MMap(origin.line(), origin);
            put(container, key, fresh, origin);
            container = fresh;
        }
    }

    private static YamlNode.Scalar leaf(Property p) {
        String text = p.value().isEmpty() ? null : p.value();
        return new YamlNode.Scalar(p.origin().line(), text, false, p.origin());
    }

    private static boolean setByOtherProperty(Object node) {
        return node != null && originOf(node) != null;
    }

    private static PropertyOrigin originOf(Object node) {
        if (node instanceof MMap m) {
            return m.origin;
        }
        if (node instanceof MList l) {
            return l.origin;
        }
        return ((YamlNode) node).origin();
    }

    private static Object get(Object container, Property.Key key) {
        if (container instanceof MMap map) {
            MEntry entry = map.find(key.name());
            return entry == null ? null : entry.value;
        }
        MList list = (MList) container;
        return key.index() < list.items.size() ? list.items.get(key.index()) : null;
    }

    private static void put(Object container, Property.Key key, Object value, PropertyOrigin origin) {
        if (container instanceof MMap map) {
            MEntry entry = map.find(key.name());
            if (entry == null) {
                map.entries.add(new MEntry(key.name(), origin.line(), origin, value));
            } else {
                entry.value = value;
            }
            return;
        }
        MList list = (MList) container;
        if (key.index() < list.items.size()) {
            list.items.set(key.index(), value);
        } else {
            list.items.add(value);
        }
    }

    /** Mutable copies of the tree while properties are set; values are MMap, MList or an unchanged YamlNode. */
    private static Object copy(YamlNode node) {
        if (node instanceof YamlNode.Mapping m) {
            return MMap.of(m);
        }
        if (node instanceof YamlNode.Sequence s) {
            MList list = new MList(s.line(), s.origin());
            s.items().forEach(item -> list.items.add(copy(item)));
            return list;
        }
        return node;
    }

    private static YamlNode build(Object node) {
        if (node instanceof MMap m) {
            return m.build();
        }
        if (node instanceof MList l) {
            return new YamlNode.Sequence(l.line, l.items.stream().map(PropertyOverlay::build).toList(), l.origin);
        }
        return (YamlNode) node;
    }

    private static final class MMap {
        final int line;
        final PropertyOrigin origin;
        final List<MEntry> entries = new ArrayList<>();

        MMap(int line, PropertyOrigin origin) {
            this.line = line;
            this.origin = origin;
        }

        static MMap of(YamlNode.Mapping m) {
            MMap map = new MMap(m.line(), m.origin());
            m.entries().forEach(e -> map.entries.add(new MEntry(e.key(), e.keyLine(), e.origin(), copy(e.value()))));
            return map;
        }

        /** The entry written exactly so, else the one that matches relaxed. */
        MEntry find(String name) {
            String relaxed = YamlNode.Entry.relaxed(name);
            return entries.stream().filter(e -> e.key.equals(name)).findFirst()
                    .orElseGet(() -> entries.stream().filter(e -> YamlNode.Entry.relaxed(e.key).equals(relaxed))
                            .findFirst().orElse(null));
        }

        YamlNode.Mapping build() {
            return new YamlNode.Mapping(line, entries.stream()
                    .map(e -> new YamlNode.Entry(e.key, e.keyLine, PropertyOverlay.build(e.value), e.origin)).toList(), origin);
        }
    }

    private static final class MEntry {
        final String key;
        final int keyLine;
        final PropertyOrigin origin;
        Object value;

        MEntry(String key, int keyLine, PropertyOrigin origin, Object value) {
            this.key = key;
            this.keyLine = keyLine;
            this.origin = origin;
            this.value = value;
        }
    }

    private static final class MList {
        final int line;
        final PropertyOrigin origin;
        final List<Object> items = new ArrayList<>();

        MList(int line, PropertyOrigin origin) {
            this.line = line;
            this.origin = origin;
        }
    }
}
