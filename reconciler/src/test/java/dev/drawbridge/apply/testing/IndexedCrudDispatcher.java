package dev.drawbridge.apply.testing;

import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.CrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;

import java.lang.reflect.Field;
import java.net.HttpURLConnection;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

/**
 * Fabric8's CRUD dispatcher (8.0.0) with its objects indexed by name, as a real API server's storage is keyed.
 *
 * <p>The mock keeps every object in one map keyed by its attributes and answers each request by testing every entry
 * against the request's attributes: a GET, a PUT or a patch of one object costs as much as a LIST of all of them, and
 * each test of an entry is itself a linear search of its attributes. With the 10,000 objects and 1,000 Leases of the
 * scale benchmark that scan, not Drawbridge, was what the benchmark measured (docs/scale.md). Here a request that
 * names its object looks only at the entries with that name; what it answers is what the scan answers (the same
 * entries are tested in the same order, the map's), and everything else (lists, watches, deletes, the writes
 * themselves) is the mock's own code.
 *
 * <p>The index lives in the map itself (a map that keeps it as entries come and go), put in place of the mock's own
 * map when the dispatcher is made; reads take the mock's read lock, as its own reads do.
 */
final class IndexedCrudDispatcher extends KubernetesCrudDispatcher {

    private static final String NAME = KubernetesAttributesExtractor.NAME;

    private final NameIndexedMap entries = new NameIndexedMap();
    private final Map<AttributeSet, String> synchronizedEntries = Collections.synchronizedMap(entries);
    private final Lock readLock;

    IndexedCrudDispatcher() {
        super(Collections.emptyList());
        try {
            Field map = CrudDispatcher.class.getDeclaredField("map");
            map.setAccessible(true);
            map.set(this, synchronizedEntries);
            Field lock = KubernetesCrudDispatcher.class.getDeclaredField("lock");
            lock.setAccessible(true);
            readLock = ((ReadWriteLock) lock.get(this)).readLock();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Fabric8's mock server changed: its CRUD dispatcher has no map or lock to index", e);
        }
    }

    /** How many entries were tested against a request, since the start (to show that a named request scans none else). */
    long tested() {
        return entries.tested;
    }

    @Override
    public Map.Entry<AttributeSet, String> findResource(AttributeSet attributes) {
        Attribute name = exactName(attributes);
        if (name == null) {
            return super.findResource(attributes);
        }
        // The mock's callers hold its lock already (a write lock for writes).
        synchronized (synchronizedEntries) {
            for (AttributeSet key : entries.named(name)) {
                entries.tested++;
                if (key.matches(attributes)) {
                    return new AbstractMap.SimpleImmutableEntry<>(key, entries.get(key));
                }
            }
            return null;
        }
    }

    @Override
    public MockResponse handleGet(String path) {
        AttributeSet query = getKey(path);
        Attribute name = exactName(query);
        if (name == null || isWatch(path)) {
            return super.handleGet(path);
        }
        readLock.lock();
        try {
            Map.Entry<AttributeSet, String> found = findResource(query);
            return found == null ? new MockResponse().setResponseCode(HttpURLConnection.HTTP_NOT_FOUND)
                    : new MockResponse().setResponseCode(HttpURLConnection.HTTP_OK).setBody(found.getValue());
        } finally {
            readLock.unlock();
        }
    }

    /** The query's name when it asks for exactly that name (only entries holding an equal attribute can match). */
    private static Attribute exactName(AttributeSet query) {
        Attribute name = query.getAttribute(NAME);
        return name != null && name.getType() == io.fabric8.mockwebserver.crud.AttributeType.WITH ? name : null;
    }

    /** The mock's own test for a watch request ({@code watch=true} in the query). */
    private static boolean isWatch(String path) {
        int query = path.indexOf('?');
        return query >= 0 && path.substring(query + 1).contains("watch=true");
    }

    /**
     * The mock's map (insertion order, as the mock's {@link LinkedHashMap}) with, for each name attribute, the keys
     * that hold it, in the same order. Callers synchronize on the map's synchronized view, as the mock does.
     */
    private static final class NameIndexedMap extends LinkedHashMap<AttributeSet, String> {
        private final Map<Attribute, Set<AttributeSet>> byName = new HashMap<>();
        long tested;

        Set<AttributeSet> named(Attribute name) {
            return byName.getOrDefault(name, Set.of());
        }

        @Override
        public String put(AttributeSet key, String value) {
            Attribute name = key.getAttribute(NAME);
            if (name != null) {
                byName.computeIfAbsent(name, n -> new LinkedHashSet<>()).add(key);
            }
            return super.put(key, value);
        }

        @Override
        public String remove(Object key) {
            if (key instanceof AttributeSet attributes && containsKey(attributes)) {
                Attribute name = attributes.getAttribute(NAME);
                Set<AttributeSet> keys = name == null ? null : byName.get(name);
                if (keys != null) {
                    keys.remove(attributes);
                    if (keys.isEmpty()) {
                        byName.remove(name);
                    }
                }
            }
            return super.remove(key);
        }

        @Override
        public void clear() {
            byName.clear();
            super.clear();
        }

        @Override
        public void putAll(Map<? extends AttributeSet, ? extends String> all) {
            all.forEach(this::put);
        }
    }
}
