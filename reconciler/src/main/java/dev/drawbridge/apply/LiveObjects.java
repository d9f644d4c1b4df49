package dev.drawbridge.apply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.apply.inventory.Inventory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * How an apply reads the live objects of its environment (docs/live-state.md): from the watch cache of their kind
 * when it is ready ({@link LiveCache}), else with one labelled LIST per kind and namespace, read ahead while the
 * gate runs ({@link #prefetch}) when it can be. Objects neither shows are read one by one by the caller.
 */
final class LiveObjects {

    private static final Logger log = LoggerFactory.getLogger(LiveObjects.class);

    /** A prefetch older than this when the apply starts is not used: the live state is read again. */
    static final Duration PREFETCH_MAX_AGE = Duration.ofSeconds(30);

    /**
     * What a prefetch read: the inventory and the labelled list of each group of the inventory that it could list
     * and that no watch cache serves.
     */
    record Prefetched(Map<String, ObjectRef> inventory, Map<List<String>, List<ObjectNode>> lists) {
    }

    /** A prefetch as read; {@code inventory} null when it could not be read (the apply reads it again and reports it). */
    private record Read(Instant readAt, Map<String, ObjectRef> inventory, Map<List<String>, List<ObjectNode>> lists) {
    }

    private final Cluster cluster;
    private final Inventory inventory;
    private final Clock clock;
    private final Map<String, CompletableFuture<Read>> prefetched = new ConcurrentHashMap<>();

    LiveObjects(Cluster cluster, Inventory inventory, Clock clock) {
        this.cluster = cluster;
        this.inventory = inventory;
        this.clock = clock;
    }

    /** Starts reading the inventory, and lists what no watch cache serves, in the background. */
    void prefetch(String environment) {
        CompletableFuture<Read> previous = prefetched.put(environment,
                CompletableFuture.supplyAsync(() -> read(environment), ReadAhead.POOL));
        if (previous != null) {
            previous.cancel(false);
        }
    }

    private Read read(String environment) {
        Instant readAt = clock.instant();
        Map<String, ObjectRef> inventoried;
        try {
            inventoried = inventory.read(environment);
        } catch (RuntimeException e) {
            return new Read(readAt, null, Map.of());
        }
        Map<List<String>, List<ObjectNode>> lists = new HashMap<>();
        for (List<String> group : groups(inventoried.values().stream())) {
            if (cluster.cached(group.get(0), group.get(1)).isEmpty()) { // a watched kind is read at the apply
                list(environment, group).ifPresent(items -> lists.put(group, items));
            }
        }
        return new Read(readAt, inventoried, lists);
    }

    /** What {@link #prefetch} read for this apply, if it is recent enough and worked. */
    Optional<Prefetched> prefetched(String environment) {
        CompletableFuture<Read> future = prefetched.remove(environment);
        if (future == null || future.isCancelled()) {
            return Optional.empty();
        }
        try {
            Read read = future.get();
            boolean fresh = Duration.between(read.readAt(), clock.instant()).compareTo(PREFETCH_MAX_AGE) <= 0;
            return fresh && read.inventory() != null ? Optional.of(new Prefetched(read.inventory(), read.lists()))
                    : Optional.empty();
        } catch (ExecutionException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * The live objects of {@code environment} among {@code refs}: from the watch cache of their kind when it is
     * ready, else from {@code listed} (a prefetch) or one labelled LIST per kind and namespace instead of one GET
     * per object (a 500-object environment is a handful of requests). Objects neither shows (new ones, ones whose
     * label was removed by hand, ones this process just deleted, a kind's only object) are left out: the caller
     * reads them one by one. The objects from a watch cache are its own trees: read them, never change them.
     */
    Map<ObjectRef, ObjectNode> of(String environment, List<ObjectRef> refs, Map<List<String>, List<ObjectNode>> listed) {
        Map<ObjectRef, ObjectNode> live = new HashMap<>();
        Map<String, Optional<CachedObjects>> caches = new HashMap<>();
        List<ObjectRef> unwatched = new ArrayList<>();
        ObjectRef previous = null;
        Optional<CachedObjects> cache = Optional.empty();
        for (ObjectRef ref : refs) {
            if (previous == null || !previous.kind().equals(ref.kind()) || !previous.apiVersion().equals(ref.apiVersion())) {
                cache = caches.computeIfAbsent(ref.apiVersion() + " " + ref.kind(), // refs come by kind: once per run
                        k -> cluster.cached(ref.apiVersion(), ref.kind()));
                previous = ref;
            }
            if (cache.isEmpty()) {
                unwatched.add(ref);
                continue;
            }
            ObjectNode object = cache.get().get(ref, environment);
            if (object != null) {
                live.put(ref, object);
            }
        }
        for (List<String> group : groups(unwatched.stream())) {
            List<ObjectNode> items = listed.containsKey(group) ? listed.get(group) : list(environment, group).orElse(List.of());
            for (ObjectNode item : items) {
                String name = item.path("metadata").path("name").asText();
                live.put(new ObjectRef(group.get(0), group.get(1), group.get(2), name), item);
            }
        }
        return live;
    }

    /** The groups (apiVersion, kind, namespace) worth one LIST: those of two objects or more (one GET costs the same). */
    private static List<List<String>> groups(Stream<ObjectRef> refs) {
        return refs.collect(Collectors.groupingBy(ref -> Arrays.asList(ref.apiVersion(), ref.kind(), ref.namespace()),
                        LinkedHashMap::new, Collectors.counting()))
                .entrySet().stream().filter(e -> e.getValue() >= 2).map(Map.Entry::getKey).toList();
    }

    /** The objects of one group labelled for {@code environment}; empty when it cannot be listed. */
    private Optional<List<ObjectNode>> list(String environment, List<String> group) {
        try {
            return Optional.of(cluster.list(group.get(0), group.get(1), group.get(2), Manifests.ENVIRONMENT, environment));
        } catch (RuntimeException e) {
            log.debug("{}/{}: cannot list, reading objects one by one: {}", group.get(1), group.get(2), e.getMessage());
            return Optional.empty();
        }
    }
}
