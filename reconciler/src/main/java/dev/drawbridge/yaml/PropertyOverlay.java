package dev.drawbridge.yaml;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sets properties over a document's tree, so that one validation reads both: each property replaces the
 * value at its path or adds it, and the rest of the document stays. Names match relaxed (case,
 * {@code -} and {@code _} do not count); list items merge by index ({@code environments[0].interval} changes
 * the first environment's interval), indices past the end add items, and a missing index is a problem
 * (items are numbered from 0 without gaps). Of several properties with the same name, the first one given
 * wins, so callers pass them highest precedence first; properties are set in that order, so what a
 * property creates (a new list item) is located at the first property that names it. An empty value is
 * YAML null: the key counts as absent, as {@code key:} with nothing does in a file.
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
        for (Property property : firstOfEachName(properties)) {
            set(root, property, problems);
        }
        return root.build(problems);
    }

    /** The first property of each name (relaxed), in the order given. */
    private static Collection<Property> firstOfEachName(List<Property> properties) {
        Map<String, Property> first = new LinkedHashMap<>();
        for (Property p : properties) {
            first.putIfAbsent(relaxedPath(p), p);
        }
        return first.values();
    }

    private static String relaxedPath(Property p) {
        StringBuilder b = new StringBuilder();
        for (Property.Key key : p.keys()) {
            b.append(key.isIndex() ? "[" + key.index() + "]" : "." + YamlNode.Entry.relaxed(key.name()));
        }
        return b.toString();
    }

    private static void set(MMap root, Property p, Problems problems) {
        PropertyOrigin origin = p.origin();
        Object container = root;
        String path = "";
        List<Property.Key> keys = p.keys();
        for (int i = 0; i < keys.size(); i++) {
            Property.Key key = keys.get(i);
            path = key.isIndex() ? Paths.index(path, key.index()) : Paths.key(path, key.name());
            if (container instanceof MMap && key.isIndex() || container instanceof MList && !key.isIndex()) {
                problems.add(origin, 0, path, "expected " + (key.isIndex() ? "a key name, not an index" : "an index such as [0]")
                        + " here");
                return;
            }
            Object child = get(container, key);
            if (i == keys.size() - 1) {
                if (setByOtherProperty(child)) {
                    if (!p.value().isEmpty()) { // an empty one (application.yaml's "forge:") leaves them be
                        problems.add(origin, 0, path, "conflicts with keys below it (" + originOf(child).describe() + ")");
                    }
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
        while (list.items.size() <= key.index()) {
            list.items.add(null); // a gap until a property names that index; reported if none does
            list.gaps.add(origin);
        }
        list.items.set(key.index(), value);
    }

    /** Mutable copies of the tree while properties are set; values are MMap, MList or an unchanged YamlNode. */
    private static Object copy(YamlNode node) {
        if (node instanceof YamlNode.Mapping m) {
            return MMap.of(m);
        }
        if (node instanceof YamlNode.Sequence s) {
            MList list = new MList(s.line(), s.origin());
            s.items().forEach(item -> {
                list.items.add(copy(item));
                list.gaps.add(null);
            });
            return list;
        }
        return node;
    }

    private static YamlNode build(Object node, String path, Problems problems) {
        if (node instanceof MMap m) {
            return m.build(path, problems);
        }
        if (node instanceof MList l) {
            List<YamlNode> items = new ArrayList<>();
            for (int i = 0; i < l.items.size(); i++) {
                if (l.items.get(i) == null) {
                    // the items after a gap are left out: their numbers would not be the ones written
                    problems.add(l.gaps.get(i), 0, Paths.index(path, i), "is missing, but an item after it is set (list items"
                            + " are numbered from 0, without gaps)");
                    break;
                }
                items.add(build(l.items.get(i), Paths.index(path, i), problems));
            }
            return new YamlNode.Sequence(l.line, items, l.origin);
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

        YamlNode.Mapping build(Problems problems) {
            return build("", problems);
        }

        YamlNode.Mapping build(String path, Problems problems) {
            return new YamlNode.Mapping(line, entries.stream().map(e -> new YamlNode.Entry(e.key, e.keyLine,
                    PropertyOverlay.build(e.value, Paths.key(path, e.key), problems), e.origin)).toList(), origin);
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
        /** For each index, null or the property that set an item after it while it was missing. */
        final List<PropertyOrigin> gaps = new ArrayList<>();

        MList(int line, PropertyOrigin origin) {
            this.line = line;
            this.origin = origin;
        }
    }
}
