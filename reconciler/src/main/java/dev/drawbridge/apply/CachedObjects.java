package dev.drawbridge.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.json.Mappers;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The watch cache of one kind in one cluster (docs/live-state.md): the store of its informer, holding each object
 * once, as the compact Jackson tree a reconcile compares (not Fabric8's model as well). What it holds:
 * <ul>
 *   <li>objects as the watch delivered them, or as a write of this process answered ({@link #written}), whichever
 *       is newer by resourceVersion: a watch event older than Drawbridge's own write (still on its way) never
 *       replaces what the write answered;</li>
 *   <li>a tombstone for an object this process deleted, until the watch confirms the deletion: the object is
 *       then read live, never taken from here;</li>
 *   <li>objects whose resourceVersion is not a number: they are read live (their order cannot be told).</li>
 * </ul>
 * The {@code fieldsV1} of {@code managedFields} entries are dropped when every entry is Drawbridge's own (or the
 * API server's {@code before-first-apply}): {@link ForeignFields} reads no fieldsV1 then. An object with another
 * manager's entry keeps them all (the drift it made is read from them).
 * Every event of the watch that changes what is held (an object added, changed, deleted, or no longer selected) is
 * told to the listener with the environment the object was and is labelled for ({@link LiveCache#version}); a
 * write of this process ({@link #written}) and its own event coming back are not changes.
 * Thread-safe: the informer writes from its thread, reconciles read and record their writes from theirs.
 */
final class CachedObjects implements ItemStore<GenericKubernetesResource> {

    private static final ObjectMapper JSON = Mappers.TREES;

    /** One cached object: its tree (null for a tombstone) and resourceVersion (-1: not a number). */
    private record Entry(ObjectNode tree, long version, String rawVersion) {

        boolean tombstone() {
            return tree == null;
        }
    }

    private final KubernetesSerialization serialization;
    private final String apiVersion;
    private final String kind;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Consumer<String> changed;

    /** @param changed told the environment label of an object the watch changed (before and after), when it has one */
    CachedObjects(KubernetesSerialization serialization, String apiVersion, String kind, Consumer<String> changed) {
        this.serialization = serialization;
        this.apiVersion = apiVersion;
        this.kind = kind;
        this.changed = changed;
    }

    CachedObjects(KubernetesSerialization serialization, String apiVersion, String kind) {
        this(serialization, apiVersion, kind, environment -> { });
    }

    /** The key of an object: {@code namespace/name}, or {@code name} for a cluster-scoped one (as Fabric8's). */
    static String key(String namespace, String name) {
        return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
    }

    /**
     * The cached object of {@code ref} when it is labelled for {@code environment}; null when it is not cached, is
     * labelled otherwise, is a tombstone or has an unordered resourceVersion (the caller reads it live). The tree is
     * the cache's own, not a copy (a copy of every object at every reconcile was an eighth of its CPU): the apply
     * only reads live objects ({@link ObjectApplier}, {@link ForeignFields} and {@link MergePlan} copy before they
     * change anything), and must keep it so.
     */
    ObjectNode get(ObjectRef ref, String environment) {
        Entry entry = entries.get(key(ref.namespace(), ref.name()));
        if (entry == null || entry.tombstone() || entry.version() < 0) {
            return null;
        }
        String owner = entry.tree().path("metadata").path("labels").path(Manifests.ENVIRONMENT).asText(null);
        return environment.equals(owner) ? entry.tree() : null;
    }

    /** Objects cached (tombstones included). */
    int count() {
        return entries.size();
    }

    /** What a write of this process answered (apply, patch) or a GET read: newer than any event still on its way. */
    void written(ObjectNode stored) {
        JsonNode metadata = stored.path("metadata");
        String key = key(metadata.path("namespace").asText(null), metadata.path("name").asText());
        Entry next = entry(compact(stored.deepCopy()));
        if (!Manifests.MANAGER.equals(metadata.path("labels").path(Manifests.MANAGED_BY).asText(null))) {
            entries.remove(key); // no longer selected: the watch drops it too
            return;
        }
        entries.compute(key, (k, current) -> current != null && current.tombstone() || newer(current, next) ? next : current);
    }

    /** This process deleted the object: read it live until the watch says it is gone. */
    void deleted(ObjectRef ref) {
        entries.compute(key(ref.namespace(), ref.name()),
                (k, current) -> new Entry(null, current == null ? -1 : current.version(), null));
    }

    /** A read found no object: a cached one becomes a tombstone (nothing is recorded for one not cached). */
    void absent(ObjectRef ref) {
        entries.computeIfPresent(key(ref.namespace(), ref.name()),
                (k, current) -> current.tombstone() ? current : new Entry(null, current.version(), null));
    }

    private static boolean newer(Entry current, Entry next) {
        if (current == null) {
            return true;
        }
        if (next.version() < 0 || current.version() < 0) {
            return true; // unordered: the newest arrival, and it is read live anyway (see get)
        }
        if (current.tombstone()) {
            return false; // only the watch's deletion (remove) or a write of ours (written, via compute) ends it
        }
        return next.version() >= current.version();
    }

    private Entry entry(ObjectNode tree) {
        String raw = tree.path("metadata").path("resourceVersion").asText("");
        long version;
        try {
            version = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            version = -1;
        }
        return new Entry(tree, version, raw);
    }

    /** Without the fieldsV1 nobody reads: those of an object whose every manager is Drawbridge (see the class comment). */
    static ObjectNode compact(ObjectNode tree) {
        JsonNode managed = tree.path("metadata").path("managedFields");
        if (!managed.isArray()) {
            return tree;
        }
        for (JsonNode entry : managed) {
            String manager = entry.path("manager").asText("");
            if (!manager.equals(ForeignFields.OWN) && !manager.equals(ForeignFields.BEFORE_FIRST_APPLY)) {
                return tree;
            }
        }
        for (JsonNode entry : managed) {
            if (entry instanceof ObjectNode fields) {
                fields.remove("fieldsV1");
            }
        }
        return tree;
    }

    // ---- the informer's side (ItemStore) ------------------------------------------------------------------

    @Override
    public String getKey(GenericKubernetesResource object) {
        return key(object.getMetadata().getNamespace(), object.getMetadata().getName());
    }

    @Override
    public GenericKubernetesResource put(String key, GenericKubernetesResource object) {
        ObjectNode tree;
        try {
            tree = (ObjectNode) JSON.readTree(serialization.asJson(object));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable " + kind + " " + key + " from the watch", e);
        }
        tree.put("apiVersion", apiVersion);
        tree.put("kind", kind);
        Entry next = entry(compact(tree));
        Entry before = entries.get(key);
        entries.compute(key, (k, current) -> {
            if (current != null && current.tombstone()) {
                return current; // events older than our deletion: the watch's deletion (remove) is still to come
            }
            return newer(current, next) ? next : current;
        });
        if (before == null || before.version() < 0 || before.version() != next.version()) {
            tell(before);               // not the echo of a write of ours (or a relist) at the version already held
            tell(next);
        }
        return before == null ? null : stub(key, before);
    }

    @Override
    public GenericKubernetesResource remove(String key) {
        Entry before = entries.remove(key);
        tell(before);
        return before == null ? null : stub(key, before);
    }

    private void tell(Entry entry) {
        if (entry != null && entry.tree() != null) {
            String environment = entry.tree().path("metadata").path("labels").path(Manifests.ENVIRONMENT).asText(null);
            if (environment != null) {
                changed.accept(environment);
            }
        }
    }

    @Override
    public Stream<String> keySet() {
        return entries.keySet().stream();
    }

    @Override
    public Stream<GenericKubernetesResource> values() {
        return entries.entrySet().stream().map(e -> stub(e.getKey(), e.getValue()));
    }

    @Override
    public int size() {
        return entries.size();
    }

    @Override
    public GenericKubernetesResource get(String key) {
        Entry entry = entries.get(key);
        return entry == null ? null : stub(key, entry);
    }

    /** Not the whole objects: the informer gets back their name, namespace and resourceVersion only. */
    @Override
    public boolean isFullState() {
        return false;
    }

    private GenericKubernetesResource stub(String key, Entry entry) {
        int slash = key.indexOf('/');
        GenericKubernetesResource stub = new GenericKubernetesResource();
        stub.setApiVersion(apiVersion);
        stub.setKind(kind);
        stub.setMetadata(new ObjectMetaBuilder()
                .withNamespace(slash < 0 ? null : key.substring(0, slash))
                .withName(slash < 0 ? key : key.substring(slash + 1))
                .withResourceVersion(entry.rawVersion())
                .build());
        return stub;
    }
}
