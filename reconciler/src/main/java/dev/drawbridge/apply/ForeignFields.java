package dev.drawbridge.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.apply.ManagedFields.Element;
import dev.drawbridge.apply.ManagedFields.Entry;
import dev.drawbridge.apply.ManagedFields.Node;
import dev.drawbridge.json.Mappers;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What other field managers did to a live object, read from its {@code managedFields} against the desired object
 * (docs/security/drift.md):
 * <ul>
 *   <li>a field or list item owned by a foreign manager (neither {@code drawbridge}, nor one of the ignored
 *       managers, nor the API server's {@code before-first-apply}) that the desired object does not have, and that
 *       no protected manager also owns, is to be removed: server-side apply never removes what another manager
 *       owns, so it is removed with a JSON patch ({@link #jsonPatch}), which the API server records as an update
 *       that takes the field from every manager;</li>
 *   <li>a desired field owned by a foreign manager (it changed the value) is taken back by the forced apply,
 *       and reported;</li>
 *   <li>a desired field owned by an ignored manager and not by Drawbridge (the HPA's {@code spec.replicas}) is
 *       left out of the desired object, so Drawbridge never fights the cluster's controllers;</li>
 *   <li>status is never touched, nor a field no manager owns (a default the API server filled in).</li>
 * </ul>
 */
final class ForeignFields {

    /** Drawbridge's field manager. */
    static final String OWN = Cluster.FIELD_MANAGER;
    /** The API server's name for what an object had before its first server-side apply. */
    static final String BEFORE_FIRST_APPLY = "before-first-apply";

    private static final ObjectMapper JSON = Mappers.TREES;

    private ForeignFields() {
    }

    /**
     * One field or list item a foreign manager added.
     *
     * @param pointer  its JSON pointer in the live object ({@code /spec/template/spec/containers/1})
     * @param readable {@code spec.template.spec.containers[name=sidecar]}
     * @param manager  who owns it
     */
    record Removal(String pointer, String readable, String manager) {
    }

    /**
     * What to do about the other managers of one object.
     *
     * @param desired  the object to apply: the desired one without fields an ignored manager took over
     * @param live     the live object to compare it with: without what ignored managers added (a container a
     *                 controller injected is not a difference)
     * @param removals fields and list items to remove, in the live object's order
     * @param changed  desired fields that foreign managers own ({@code kubectl-edit changed spec.replicas})
     * @param entries  the managedFields entries of the managers whose additions are removed (dropped with them, so
     *                 that a field the API server defaults again is not theirs any more)
     */
    record Plan(ObjectNode desired, JsonNode live, List<Removal> removals, List<String> changed, List<Entry> entries) {

        Plan {
            Objects.requireNonNull(desired, "desired");
            Objects.requireNonNull(live, "live");
            removals = List.copyOf(removals);
            changed = List.copyOf(changed);
            entries = List.copyOf(entries);
        }

        /** Who added what, e.g. {@code kubectl-edit added spec.template.spec.containers[name=sidecar]}. */
        String added() {
            return removals.stream().map(r -> r.manager() + " added " + r.readable()).collect(Collectors.joining("; "));
        }

        /**
         * The JSON patch (RFC 6902) that removes every addition and the entries of their managers, only if the
         * object is still at {@code resourceVersion} (and its entries are still where they were read): the API
         * server answers 422 to a failed test, 409 to a stale version.
         */
        String jsonPatch(String resourceVersion) {
            ArrayNode ops = JSON.createArrayNode();
            ops.addObject().put("op", "test").put("path", "/metadata/resourceVersion").put("value", resourceVersion);
            for (Entry entry : entries) {
                ops.addObject().put("op", "test").put("path", "/metadata/managedFields/" + entry.index() + "/manager")
                        .put("value", entry.manager());
            }
            // Later list items first, so the indices of earlier ones stay valid; then the entries, last first.
            removals.stream().map(Removal::pointer).sorted(POINTERS.reversed())
                    .forEach(pointer -> ops.addObject().put("op", "remove").put("path", pointer));
            entries.stream().map(Entry::index).sorted(Comparator.reverseOrder())
                    .forEach(i -> ops.addObject().put("op", "remove").put("path", "/metadata/managedFields/" + i));
            return ops.toString();
        }
    }

    /** JSON pointers in document order: segment by segment, indices by number. */
    static final Comparator<String> POINTERS = (a, b) -> {
        String[] x = a.split("/", -1);
        String[] y = b.split("/", -1);
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (!x[i].equals(y[i])) {
                boolean numbers = x[i].matches("[0-9]+") && y[i].matches("[0-9]+");
                return numbers ? Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i])) : x[i].compareTo(y[i]);
            }
        }
        return Integer.compare(x.length, y.length);
    };

    /**
     * The plan for {@code live} (with its managedFields) and {@code desired}.
     *
     * @param ignored the managers whose fields are left alone ({@code drift.ignore-managers})
     */
    static Plan plan(ObjectNode live, ObjectNode desired, Set<String> ignored) {
        if (onlyOwn(live)) {
            return new Plan(desired, live, List.of(), List.of(), List.of()); // nobody else owns a field: nothing to read
        }
        List<Entry> entries = ManagedFields.of(live);
        List<Node> own = new ArrayList<>();
        List<Node> protectedFields = new ArrayList<>();
        List<Entry> foreign = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry.manager().equals(OWN)) {
                own.add(entry.fields());
                protectedFields.add(entry.fields());
            } else if (ignored.contains(entry.manager()) || entry.manager().equals(BEFORE_FIRST_APPLY)) {
                protectedFields.add(entry.fields());
            } else if (!entry.subresource().equals("status")) {
                foreign.add(entry);
            }
        }
        boolean anyIgnored = entries.stream().anyMatch(e -> ignored.contains(e.manager()));
        ObjectNode toApply = anyIgnored ? desired.deepCopy() : desired;
        List<Removal> theirs = new ArrayList<>();
        Set<String> changed = new LinkedHashSet<>();
        for (Entry entry : entries) {
            if (ignored.contains(entry.manager())) {
                yieldTo(entry.fields(), own, toApply);
                new Walk(entry.manager(), theirs, new LinkedHashSet<>()).node(entry.fields(), own, live, toApply, "", "", true);
            }
        }
        JsonNode liveView = theirs.isEmpty() ? live : without(live, theirs);
        List<Removal> removals = new ArrayList<>();
        List<Entry> undone = new ArrayList<>();
        for (Entry entry : foreign) {
            int before = removals.size();
            Walk walk = new Walk(entry.manager(), removals, changed);
            walk.node(entry.fields(), protectedFields, live, toApply, "", "", true);
            if (removals.size() > before) {
                undone.add(entry);
            }
        }
        List<Removal> unique = removals.stream().distinct().sorted(Comparator.comparing(Removal::pointer, POINTERS)).toList();
        return new Plan(toApply, liveView, dropNested(unique), List.copyOf(changed), undone);
    }

    /**
     * Whether every managedFields entry is Drawbridge's own (or the API server's {@code before-first-apply}): then
     * there is nothing to remove and nothing to yield, and the fieldsV1 trees need not be read. The common case of a
     * reconcile that changes nothing, so it stays cheap.
     */
    private static boolean onlyOwn(JsonNode live) {
        for (JsonNode entry : live.path("metadata").path("managedFields")) {
            String manager = entry.path("manager").asText("");
            if (!manager.equals(OWN) && !manager.equals(BEFORE_FIRST_APPLY)) {
                return false;
            }
        }
        return true;
    }

    /** A copy of {@code live} without these fields and items. */
    private static JsonNode without(ObjectNode live, List<Removal> removals) {
        ObjectNode copy = live.deepCopy();
        List<String> pointers = dropNested(removals.stream().distinct().sorted(Comparator.comparing(Removal::pointer, POINTERS))
                .toList()).stream().map(Removal::pointer).sorted(POINTERS.reversed()).toList();
        for (String pointer : pointers) {
            int slash = pointer.lastIndexOf('/');
            JsonNode parent = copy.at(pointer.substring(0, slash));
            String last = pointer.substring(slash + 1).replace("~1", "/").replace("~0", "~");
            if (parent instanceof ArrayNode list) {
                list.remove(Integer.parseInt(last));
            } else if (parent instanceof ObjectNode map) {
                map.remove(last);
            }
        }
        return copy;
    }

    /** Two managers may own a node and a node under it: removing the outer one removes both. */
    private static List<Removal> dropNested(List<Removal> removals) {
        List<Removal> kept = new ArrayList<>();
        for (Removal removal : removals) {
            boolean nested = kept.stream().anyMatch(k -> removal.pointer().startsWith(k.pointer() + "/"));
            boolean same = kept.stream().anyMatch(k -> k.pointer().equals(removal.pointer()));
            if (!nested && !same) {
                kept.add(removal);
            }
        }
        return kept;
    }

    /** One walk of a foreign manager's fields along the live and the desired object. */
    private record Walk(String manager, List<Removal> removals, Set<String> changed) {

        void node(Node foreign, List<Node> protectedNodes, JsonNode live, JsonNode desired, String pointer,
                  String readable, boolean top) {
            foreign.children().forEach((text, child) -> {
                if (top && text.equals("f:status")) {
                    return; // status is the controllers'; a subresource of its own
                }
                Element element = ManagedFields.element(text, manager);
                Object at = ManagedFields.locate(element, live);
                if (at == null) {
                    return; // owned but gone: nothing to remove
                }
                JsonNode liveChild = at instanceof Integer i ? live.get(i) : live.get((String) at);
                Object desiredAt = ManagedFields.locate(element, desired);
                JsonNode desiredChild = desiredAt == null ? null
                        : desiredAt instanceof Integer i ? desired.get(i) : desired.get((String) desiredAt);
                List<Node> protectedChildren = protectedNodes.stream().map(n -> n.child(text)).filter(Objects::nonNull).toList();
                String childPointer = pointer + "/" + (at instanceof Integer i ? i.toString() : escape((String) at));
                String childReadable = readable + ManagedFields.readable(element);
                if (desiredChild == null && child.owned() && protectedChildren.isEmpty()) {
                    removals.add(new Removal(childPointer, childReadable.substring(1).replace(".[", "["), manager));
                } else if (desiredChild != null && child.owned() && child.children().isEmpty()
                        && protectedChildren.stream().noneMatch(Node::owned)) {
                    changed.add(manager + " changed " + childReadable.substring(1));
                } else {
                    node(child, protectedChildren, liveChild, desiredChild, childPointer, childReadable, false);
                }
            });
        }
    }

    /**
     * Leaves out of {@code desired} what an ignored manager owns and Drawbridge does not (any more): the
     * manager changed it, and its value stands.
     */
    private static void yieldTo(Node ignored, List<Node> own, JsonNode desired) {
        ignored.children().forEach((text, child) -> {
            if (desired == null) {
                return;
            }
            Element element = ManagedFields.element(text, "managedFields");
            Object at = ManagedFields.locate(element, desired);
            if (at == null) {
                return;
            }
            List<Node> ownChildren = own.stream().map(n -> n.child(text)).filter(Objects::nonNull).toList();
            if (child.owned() && ownChildren.stream().noneMatch(Node::owned)
                    && (child.children().isEmpty() || ownChildren.isEmpty())) {
                if (at instanceof Integer i) {
                    ((ArrayNode) desired).remove(i);
                } else {
                    ((ObjectNode) desired).remove((String) at);
                }
            } else {
                yieldTo(child, ownChildren, at instanceof Integer i ? desired.get(i) : desired.get((String) at));
            }
        });
    }

    /** A JSON pointer segment (RFC 6901): {@code ~} and {@code /} escaped. */
    static String escape(String field) {
        return field.replace("~", "~0").replace("/", "~1");
    }
}
