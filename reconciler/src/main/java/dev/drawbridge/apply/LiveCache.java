package dev.drawbridge.apply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live state of one cluster as watches see it (docs/live-state.md): one informer per kind, for the objects
 * labelled {@code app.kubernetes.io/managed-by: drawbridge} in every namespace, started the first time a
 * reconcile needs the kind and shared by every environment of the cluster. A kind's cache is used only while its
 * informer has listed and is watching ({@link #ready}); otherwise the caller lists, as without watches. An
 * informer that cannot start (the kind is not served, the API server refuses the watch) is tried again after
 * {@link #RETRY_AFTER}. A watch seen broken after it had been watching (a connection dropped mid-stream) is not
 * trusted again on its own word: the kind's informer is replaced by a new one, which lists before it is used, so
 * nothing changed or deleted during the gap is decided on from the old cache. {@link #close()} stops them all.
 */
final class LiveCache implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LiveCache.class);

    /** How long a kind whose informer failed is read by lists before its informer is tried again. */
    static final Duration RETRY_AFTER = Duration.ofMinutes(1);

    /** A kind's informer and its cache, or when it last failed to start. */
    private sealed interface Watch permits Watching, Failed {
    }

    /** @param trusted set once the cache was used: listed and watching; a later moment not watching is a broken watch */
    private record Watching(SharedIndexInformer<GenericKubernetesResource> informer, CachedObjects objects,
                            AtomicBoolean trusted) implements Watch {

        Watching(SharedIndexInformer<GenericKubernetesResource> informer, CachedObjects objects) {
            this(informer, objects, new AtomicBoolean());
        }

        boolean ready() {
            return informer.isRunning() && informer.hasSynced() && informer.isWatching();
        }

        /**
         * Was watching and is not now. Fabric8 resumes such a watch from the last resourceVersion it saw; a real API
         * server then sends what was missed, but nothing says when that is done, and a server that cannot (the
         * Fabric8 mock server sends every object as added, never what was deleted) leaves the cache wrong for good.
         */
        boolean broken() {
            return trusted.get() && informer.isRunning() && !informer.isWatching();
        }
    }

    private record Failed(Instant at) implements Watch {
    }

    private final KubernetesClient client;
    private final Clock clock;
    private final Map<String, Watch> kinds = new ConcurrentHashMap<>();
    /** How many watch events changed objects labelled for each environment. */
    private final Map<String, AtomicLong> changes = new ConcurrentHashMap<>();
    /** Moves whenever an informer starts or stops: what its cache held before may have missed events. */
    private final AtomicLong epoch = new AtomicLong();
    private volatile boolean closed;

    LiveCache(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /**
     * The cache of a kind when its informer has listed and is watching; empty otherwise (read it live). Starts
     * the kind's informer when none runs.
     */
    Optional<CachedObjects> ready(String apiVersion, String kind) {
        if (closed) {
            return Optional.empty();
        }
        Watch watch = kinds.compute(apiVersion + " " + kind, (key, current) -> {
            if (closed) {
                return current;
            }
            if (current instanceof Watching w && w.informer().stopped().toCompletableFuture().isDone()) {
                log.info("{} {}: watch stopped; listing until it is started again", apiVersion, kind);
                w.informer().stop();
                epoch.incrementAndGet();
                return new Failed(clock.instant());
            }
            if (current instanceof Watching w && w.broken()) {
                log.info("{} {}: watch broken; listing until it is listed and watched again", apiVersion, kind);
                w.informer().stop();
                return start(apiVersion, kind);
            }
            if (current instanceof Watching) {
                return current;
            }
            if (current instanceof Failed f && Duration.between(f.at(), clock.instant()).compareTo(RETRY_AFTER) < 0) {
                return current;
            }
            return start(apiVersion, kind);
        });
        if (watch instanceof Watching w && w.ready()) {
            w.trusted().set(true);
            return Optional.of(w.objects());
        }
        return Optional.empty();
    }

    /**
     * The version of the live state of {@code environment}'s objects of {@code kinds} (each {@code apiVersion kind})
     * as the watches see it: a later version equals this one only if no watch event changed any object labelled for
     * the environment in between, and no informer started or stopped. Empty when one of the kinds is not watched
     * and synced now (nothing is known then).
     */
    Optional<LiveVersion> version(String environment, Collection<String> kinds) {
        long before = epoch.get();
        for (String key : kinds) {
            int space = key.indexOf(' ');
            if (space < 0 || ready(key.substring(0, space), key.substring(space + 1)).isEmpty()) {
                return Optional.empty();
            }
        }
        long seen = changes.computeIfAbsent(environment, e -> new AtomicLong()).get();
        return epoch.get() == before ? Optional.of(new LiveVersion(before, seen)) : Optional.empty();
    }

    private void changed(String environment) {
        changes.computeIfAbsent(environment, e -> new AtomicLong()).incrementAndGet();
    }

    private Watch start(String apiVersion, String kind) {
        epoch.incrementAndGet();
        CachedObjects objects = new CachedObjects(client.getKubernetesSerialization(), apiVersion, kind, this::changed);
        try {
            SharedIndexInformer<GenericKubernetesResource> informer = client.genericKubernetesResources(apiVersion, kind)
                    .inAnyNamespace().withLabel(Manifests.MANAGED_BY, Manifests.MANAGER)
                    .runnableInformer(0)
                    .removeNamespaceIndex()
                    .itemStore(objects)
                    .exceptionHandler(LiveCache::retry);
            informer.start().whenComplete((done, e) -> {
                if (e != null) {
                    log.info("{} {}: cannot watch, listing instead: {}", apiVersion, kind, e.getMessage());
                }
            });
            log.debug("{} {}: watching objects labelled {}={}", apiVersion, kind, Manifests.MANAGED_BY, Manifests.MANAGER);
            return new Watching(informer, objects);
        } catch (RuntimeException e) {
            log.debug("{} {}: cannot watch, listing instead: {}", apiVersion, kind, e.getMessage());
            return new Failed(clock.instant());
        }
    }

    /** Keeps watching through errors, except when the kind is not served or the watch is not allowed. */
    private static boolean retry(boolean started, Throwable e) {
        if (ExceptionHandler.isDeserializationException(e)) {
            return false;
        }
        int code = 0;
        for (Throwable cause = e; cause != null && code == 0; cause = cause.getCause()) {
            code = cause instanceof KubernetesClientException k ? k.getCode() : 0;
        }
        return code != 401 && code != 403 && code != 404 && code != 405;
    }

    /** What a write or a read of this process answered: newer than what the watch may still deliver. */
    void written(ObjectRef ref, ObjectNode stored) {
        if (stored != null && kinds.get(ref.apiVersion() + " " + ref.kind()) instanceof Watching w) {
            w.objects().written(stored);
        }
    }

    /** This process deleted {@code ref}: it is read live until the watch reports it gone. */
    void deleted(ObjectRef ref) {
        if (kinds.get(ref.apiVersion() + " " + ref.kind()) instanceof Watching w) {
            w.objects().deleted(ref);
        }
    }

    /** A read found no {@code ref}: what the cache has of it is read live until the watch reports it gone. */
    void absent(ObjectRef ref) {
        if (kinds.get(ref.apiVersion() + " " + ref.kind()) instanceof Watching w) {
            w.objects().absent(ref);
        }
    }

    /** The kinds whose informers run (apiVersion and kind), for tests and logs. */
    List<String> watchedKinds() {
        List<String> watched = new ArrayList<>();
        kinds.forEach((key, watch) -> {
            if (watch instanceof Watching w && w.informer().isRunning()) {
                watched.add(key);
            }
        });
        return watched;
    }

    /** Stops every informer (waiting a little for their watches to close); the cache answers nothing afterwards. */
    @Override
    public void close() {
        closed = true;
        List<CompletableFuture<Void>> stopped = new ArrayList<>();
        kinds.values().forEach(watch -> {
            if (watch instanceof Watching w) {
                w.informer().stop();
                stopped.add(w.informer().stopped().toCompletableFuture());
            }
        });
        try {
            CompletableFuture.allOf(stopped.toArray(CompletableFuture[]::new)).get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.debug("watches not all stopped within {}: {}", CLOSE_TIMEOUT, e.toString());
        }
    }

    /** How long {@link #close()} waits for the informers to stop before the client under them is closed. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);
}
