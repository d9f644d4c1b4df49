package dev.drawbridge.apply;

import dev.drawbridge.retry.Sleeper;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The Kubernetes clients of one process: one client per cluster (a kubeconfig and context, or the default
 * configuration), shared by that cluster's applier, decision records and notices, and every client on one Vert.x
 * instance. Fabric8 otherwise starts a Vert.x of its own for each client: 2 × cores event-loop threads, a
 * blocked-thread checker and an internal blocking pool each, and its own serialization caches.
 * Each client waits what an API server's 429 {@code Retry-After} asks, within a bound ({@link RetryAfter}), and
 * keeps a bounded pool of connections to its API server open ({@link ApiServerConnections}).
 * Each cluster also has one watch cache ({@link LiveCache}: an informer per kind, docs/live-state.md) shared by
 * every applier of that cluster. {@link #close()} stops the informers, closes the clients, then Vert.x.
 */
public final class KubernetesClients implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KubernetesClients.class);

    private final Map<List<Object>, KubernetesClient> clients = new ConcurrentHashMap<>();
    private final Sleeper sleeper;
    private final Map<List<Object>, LiveCache> caches = new ConcurrentHashMap<>();
    private Vertx vertx;
    private boolean closed;

    public KubernetesClients() {
        this(Sleeper.SYSTEM);
    }

    /** @param sleeper waits what an API server's 429 {@code Retry-After} asks (bounded, see {@link RetryAfter}) */
    public KubernetesClients(Sleeper sleeper) {
        this.sleeper = java.util.Objects.requireNonNull(sleeper, "sleeper");
    }

    /**
     * The applier of the cluster of {@code context} (null: the current context) in {@code kubeconfig}, or,
     * when {@code kubeconfig} is null, of the default cluster: in-cluster (service account) when running in a
     * pod, else {@code ~/.kube/config}. Its client is closed by {@link #close()}, not by the applier.
     */
    public KubernetesApplier applier(Path kubeconfig, String context, KubernetesApplier.Settings settings) {
        KubernetesClient client = client(kubeconfig, context);
        LiveCache cache = !settings.watch() ? null : caches.computeIfAbsent(Arrays.asList(kubeconfig, context),
                key -> new LiveCache(client, Clock.systemUTC()));
        return new KubernetesApplier(client, false, settings, Clock.systemUTC(), Sleeper.SYSTEM, cache);
    }

    /** Whether {@code e} is the Kubernetes client's own failure: the cluster unreachable, or an answer it refused. */
    public static boolean isClientFailure(RuntimeException e) {
        return e instanceof io.fabric8.kubernetes.client.KubernetesClientException;
    }

    /** The Leases in {@code namespace} of a cluster (replicas of serve), over that cluster's client. */
    public LeaseStore leases(Path kubeconfig, String context, String namespace) {
        return new KubernetesLeaseStore(client(kubeconfig, context), namespace);
    }

    /**
     * The shared client of the cluster of {@code context} in {@code kubeconfig} (as {@link #applier}): what the
     * decision records and notices of that cluster ({@code dev.drawbridge.decision}) are kept over. Closed by
     * {@link #close()}, not by its user.
     */
    public KubernetesClient client(Path kubeconfig, String context) {
        return clients.computeIfAbsent(Arrays.asList(kubeconfig, context), key -> {
            Config config = kubeconfig != null ? config(kubeconfig, context) : Config.autoConfigure(context);
            return KubernetesApplier.client(config, new ApiServerConnections(vertx()), sleeper);
        });
    }

    /**
     * A client of its own for {@code config} (closed by its user), set up as the shared ones: few retries of a
     * 5xx, a 429's {@code Retry-After} waited within a bound.
     */
    public static KubernetesClient unshared(Config config) {
        return KubernetesApplier.client(config);
    }

    /**
     * The client configuration of {@code context} (null: the current context) in the kubeconfig file
     * {@code kubeconfig}; one that cannot be read is an {@link IllegalArgumentException} naming it.
     */
    public static Config config(Path kubeconfig, String context) {
        String contents;
        try {
            contents = Files.readString(kubeconfig);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read kubeconfig " + kubeconfig + ": " + e.getMessage(), e);
        }
        return Config.fromKubeconfig(context, contents, kubeconfig.toString());
    }

    /** Made on first use, with the options Fabric8 gives the Vert.x it makes for a client of its own. */
    private synchronized Vertx vertx() {
        if (closed) {
            throw new IllegalStateException("the Kubernetes clients are closed");
        }
        if (vertx == null) {
            VertxOptions options = new VertxOptions()
                    .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false))
                    .setUseDaemonThread(true);
            // Vert.x's own DNS resolver reads /etc/resolv.conf by itself; Fabric8 turns it off (the JDK resolves
            // names, as for every other connection of the process) while it makes its Vert.x. So do we.
            String property = "vertx.disableDnsResolver";
            String before = System.getProperty(property);
            System.setProperty(property, "true");
            try {
                vertx = Vertx.vertx(options);
            } finally {
                if (before == null) {
                    System.clearProperty(property);
                } else {
                    System.setProperty(property, before);
                }
            }
        }
        return vertx;
    }

    @Override
    public void close() {
        Vertx toClose;
        List<KubernetesClient> open;
        synchronized (this) {
            closed = true;
            caches.values().forEach(LiveCache::close);
            caches.clear();
            open = new ArrayList<>(clients.values());
            clients.clear();
            toClose = vertx;
            vertx = null;
        }
        open.forEach(KubernetesClient::close);
        if (toClose != null) {
            try {
                toClose.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                log.debug("Vert.x did not close cleanly: {}", e.toString());
            }
        }
    }
}
