package dev.drawbridge.apply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.apply.ApplyException.Reason;
import dev.drawbridge.apply.Preparer.Desired;
import dev.drawbridge.apply.health.Waits;
import dev.drawbridge.apply.inventory.Inventory;
import dev.drawbridge.apply.inventory.Pruner;
import dev.drawbridge.retry.Sleeper;
import dev.drawbridge.threads.KeptThreads;
import dev.drawbridge.values.EnvironmentName;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@link Applier} over a Kubernetes API server (Fabric8 client). One apply:
 * <ol>
 *   <li>prepare the desired objects: validate, resolve namespaces, add the ownership labels and the
 *       applied-hash annotation, sort into stages;</li>
 *   <li>read the environment's inventory; apply the deletion guard;</li>
 *   <li>apply stage by stage (Namespaces and CRDs, wait for the CRDs to be established, then the rest),
 *       writing only objects whose live state lacks a desired field or has fields other field managers added,
 *       undoing and reporting drift ({@link ObjectApplier});</li>
 *   <li>prune what the previous inventory has and the desired set has not, in reverse order, and only what
 *       still carries both ownership labels ({@link Pruner});</li>
 *   <li>write the inventory when it changed;</li>
 *   <li>wait for the workloads to be healthy, when asked.</li>
 * </ol>
 * Not thread-safe for one environment: the caller serialises reconciles per environment.
 */
public final class KubernetesApplier implements Applier, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KubernetesApplier.class);

    /**
     * Settings of the applier itself (not of an environment).
     *
     * @param inventoryNamespace   where inventories live (created when missing)
     * @param crdEstablishTimeout  how long to wait for applied CRDs to report Established=True
     * @param pollInterval         how often to poll while waiting (CRDs, health)
     * @param ignoreManagers       {@code drift.ignore-managers}: the field managers whose fields drift
     *                             correction leaves alone (the cluster's own controllers); see docs/security/drift.md
     * @param watch                whether live state is read from watches (an informer per kind, shared by the
     *                             environments of the cluster) rather than listed at every apply; see docs/live-state.md
     */
    public record Settings(String inventoryNamespace, Duration crdEstablishTimeout, Duration pollInterval,
                           Set<String> ignoreManagers, boolean watch) {

        public static final String DEFAULT_INVENTORY_NAMESPACE = "drawbridge-system";

        /**
         * The default of {@code drift.ignore-managers}: the field managers of the cluster's own controllers. The
         * HPA runs in kube-controller-manager, and its writes (through the {@code scale} subresource) carry that
         * name: the API server names the manager of a request without {@code fieldManager} after its user agent
         * up to the first {@code /} ({@code kube-controller-manager/v1.31.0 (...)/horizontal-pod-autoscaler}).
         */
        public static final List<String> DEFAULT_IGNORE_MANAGERS = List.of("kube-controller-manager", "kube-scheduler", "kubelet");

        public Settings {
            Objects.requireNonNull(inventoryNamespace, "inventoryNamespace");
            Objects.requireNonNull(crdEstablishTimeout, "crdEstablishTimeout");
            Objects.requireNonNull(pollInterval, "pollInterval");
            ignoreManagers = Set.copyOf(Objects.requireNonNull(ignoreManagers, "ignoreManagers"));
            if (!inventoryNamespace.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") || inventoryNamespace.length() > 63) {
                throw new IllegalArgumentException("Invalid inventory namespace: " + inventoryNamespace);
            }
            if (pollInterval.isNegative() || pollInterval.isZero()) {
                throw new IllegalArgumentException("Invalid poll interval (must be positive): " + pollInterval);
            }
            if (ignoreManagers.contains(Cluster.FIELD_MANAGER)) {
                throw new IllegalArgumentException("Invalid ignored field manager: " + Cluster.FIELD_MANAGER
                        + " is Drawbridge's own");
            }
        }

        public Settings(String inventoryNamespace, Duration crdEstablishTimeout, Duration pollInterval) {
            this(inventoryNamespace, crdEstablishTimeout, pollInterval, Set.copyOf(DEFAULT_IGNORE_MANAGERS), true);
        }

        public static Settings defaults() {
            return new Settings(DEFAULT_INVENTORY_NAMESPACE, Duration.ofMinutes(1), Duration.ofSeconds(2));
        }

        public Settings withInventoryNamespace(String namespace) {
            return new Settings(namespace, crdEstablishTimeout, pollInterval, ignoreManagers, watch);
        }

        public Settings withIgnoreManagers(java.util.Collection<String> managers) {
            return new Settings(inventoryNamespace, crdEstablishTimeout, pollInterval, Set.copyOf(managers), watch);
        }

        /** With live state read from watches (true, the default) or listed at every apply (false). */
        public Settings withWatch(boolean watch) {
            return new Settings(inventoryNamespace, crdEstablishTimeout, pollInterval, ignoreManagers, watch);
        }
    }

    private final KubernetesClient client;
    private final boolean ownsClient;
    /** The watch cache of the cluster (null: lists at every apply), and whether {@link #close()} stops it. */
    private final LiveCache live;
    private final boolean ownsLive;
    private final Cluster cluster;
    private final Inventory inventory;
    private final ObjectApplier objects;
    private final Preparer preparer;
    private final Waits waits;
    private final Settings settings;
    private final Clock clock;
    private final Sleeper sleeper;
    private final LiveObjects liveObjects;
    /** The kinds ({@code apiVersion kind}) of each environment's last successful apply. */
    private final Map<String, Set<String>> appliedKinds = new java.util.concurrent.ConcurrentHashMap<>();

    /** An applier over {@code client} (not closed by {@link #close()}), default settings, system clock. */
    public KubernetesApplier(KubernetesClient client) {
        this(client, Settings.defaults(), Clock.systemUTC(), Sleeper.SYSTEM);
    }

    /** An applier over {@code client} (not closed by {@link #close()}, but its watches are stopped). */
    public KubernetesApplier(KubernetesClient client, Settings settings, Clock clock, Sleeper sleeper) {
        this(client, false, settings, clock, sleeper, null);
    }

    /**
     * @param shared the watch cache of the cluster shared with other appliers of the same client (not stopped by
     *               {@link #close()}); null: the applier watches on its own (when {@code settings} say so)
     */
    KubernetesApplier(KubernetesClient client, boolean ownsClient, Settings settings, Clock clock, Sleeper sleeper,
                      LiveCache shared) {
        this.client = Objects.requireNonNull(client, "client");
        this.ownsClient = ownsClient;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.ownsLive = shared == null && settings.watch();
        this.live = !settings.watch() ? null : shared != null ? shared : new LiveCache(client, clock);
        this.cluster = new Cluster(client, live);
        this.inventory = new Inventory(cluster, settings.inventoryNamespace());
        this.objects = new ObjectApplier(cluster, settings.ignoreManagers());
        this.preparer = new Preparer(cluster);
        this.liveObjects = new LiveObjects(cluster, inventory, clock);
        this.waits = new Waits(cluster, clock, sleeper, settings.crdEstablishTimeout(), settings.pollInterval());
    }

    /**
     * An applier for the cluster of {@code context} (null: the current context) in the kubeconfig file
     * {@code kubeconfig}. Its client is closed by {@link #close()}.
     */
    public static KubernetesApplier fromKubeconfig(Path kubeconfig, String context, Settings settings) {
        Config config = KubernetesClients.config(kubeconfig, context);
        return new KubernetesApplier(client(config), true, settings, Clock.systemUTC(), Sleeper.SYSTEM, null);
    }

    /**
     * An applier for the default cluster: in-cluster (service account) when running in a pod, else
     * {@code ~/.kube/config} ({@code context}, or its current context when null). Its client is closed by
     * {@link #close()}.
     */
    public static KubernetesApplier fromDefaultConfig(String context, Settings settings) {
        return new KubernetesApplier(client(Config.autoConfigure(context)), true, settings, Clock.systemUTC(),
                Sleeper.SYSTEM, null);
    }

    static KubernetesClient client(Config config) {
        return client(config, null, Sleeper.SYSTEM);
    }

    /**
     * @param http    the HTTP client factory (one Vert.x for many clients, see {@link KubernetesClients}); null: Fabric8's
     * @param sleeper waits what a 429's {@code Retry-After} asks, within a bound ({@link RetryAfter})
     */
    static KubernetesClient client(Config config, HttpClient.Factory http, Sleeper sleeper) {
        // Fabric8 retries a 5xx up to 10 times with exponential backoff (minutes in all); a reconcile that fails
        // is retried by the scheduler, so keep a few quick retries for blips only.
        config.setRequestRetryBackoffLimit(3);
        RetryAfter retryAfter = new RetryAfter(sleeper, Clock.systemUTC());
        KubernetesClientBuilder builder = new KubernetesClientBuilder().withConfig(config)
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor(RetryAfter.NAME, retryAfter))
                .withTaskExecutorSupplier(new TaskThreads());
        return (http == null ? builder : builder.withHttpClientFactory(http)).build();
    }

    /**
     * The threads of a client's tasks (watch and informer callbacks): unbounded as Fabric8's own pool, but kept once
     * started instead of let go after a minute idle, so that their number does not follow the reconciles up and
     * down; shut down with the client.
     */
    private static final class TaskThreads implements KubernetesClientBuilder.ExecutorSupplier {

        @Override
        public java.util.concurrent.Executor get() {
            return KeptThreads.pool("kubernetes-client", Integer.MAX_VALUE);
        }

        @Override
        public void onClose(java.util.concurrent.Executor executor) {
            ((java.util.concurrent.ExecutorService) executor).shutdownNow();
        }
    }

    /** Stops the watches this applier started (not those of a shared cache), then closes its own client. */
    @Override
    public void close() {
        if (ownsLive) {
            live.close();
        }
        if (ownsClient) {
            client.close();
        }
    }

    @Override
    public void prefetch(EnvironmentName environment) {
        liveObjects.prefetch(environment.value());
    }

    /** One object that could not be applied or deleted. */
    public record Failure(ObjectRef ref, String message) {
    }

    @Override
    public Optional<LiveVersion> liveVersion(EnvironmentName environment) {
        Set<String> kinds = appliedKinds.get(environment.value());
        return live == null || kinds == null || kinds.isEmpty() ? Optional.empty() : live.version(environment.value(), kinds);
    }

    @Override
    public ChangeSet apply(ApplyRequest request) throws ApplyException {
        String environment = request.environment().value();
        appliedKinds.remove(environment);

        // Prepare (Preparer): validated, labelled, hashed, in apply order. Nothing is written before this succeeds.
        List<Desired> desired = preparer.prepare(request);

        // The inventory of the last successful apply (as prefetched, if it was); the deletion guard.
        Optional<LiveObjects.Prefetched> early = liveObjects.prefetched(environment);
        Map<String, ObjectRef> previous = early.isPresent() ? early.get().inventory() : readInventory(environment);
        guardDeletion(request, desired, previous);

        // Apply in stages; nothing is pruned after a failed apply.
        List<ChangeSetEntry> entries = new ArrayList<>();
        applyStaged(request, desired, previous, early.map(LiveObjects.Prefetched::lists).orElse(Map.of()), entries);

        // Prune what left Git; what could not be deleted stays in the inventory.
        Map<String, ObjectRef> next = Inventory.byKey(desired.stream().map(Desired::ref).toList());
        List<Failure> pruneFailures = new Pruner(cluster).prune(request, previous, next, entries);
        ChangeSet changeSet = new ChangeSet(entries);

        // Record what this environment now has applied (only when it changed).
        stillHolds(request, entries);
        writeInventory(environment, previous, next, changeSet);
        if (!pruneFailures.isEmpty()) {
            throw failure(Reason.PRUNE_FAILED, pruneFailures, changeSet);
        }

        // Health, when asked.
        if (request.waitForHealth()) {
            waits.healthy(desired.stream().map(Desired::ref).toList(), request.healthTimeout(), changeSet);
        }
        appliedKinds.put(environment, desired.stream().map(d -> d.ref().apiVersion() + " " + d.ref().kind())
                .collect(Collectors.toUnmodifiableSet()));
        if (changeSet.hasChanges()) {
            log.info("{}: applied: {}", environment, changeSet.summary());
        } else {
            log.debug("{}: applied: {}", environment, changeSet.summary());
        }
        return changeSet;
    }

    @Override
    public PlannedChanges preview(ApplyRequest request) throws ApplyException {
        String environment = request.environment().value();
        List<Desired> desired = preparer.prepare(request);
        Map<String, ObjectRef> previous = readInventory(environment);
        Map<ObjectRef, ObjectNode> live = liveObjects.of(environment, refs(desired), Map.of());
        return MergePlan.of(cluster, desired.stream().map(d -> new MergePlan.Planned(d.ref(), d.body(), d.hash())).toList(),
                live, previous, request.prune());
    }

    // ---- inventory and deletion guard ---------------------------------------------------------------------

    private Map<String, ObjectRef> readInventory(String environment) throws ApplyException {
        try {
            return inventory.read(environment);
        } catch (RuntimeException e) {
            ObjectRef ref = inventory.configMap(environment);
            throw new ApplyException(Reason.INVENTORY_FAILED, List.of(ref.id()),
                    ref.id() + ": cannot read the inventory: " + Cluster.describe(ref, e), ChangeSet.empty(), e);
        }
    }

    private static void guardDeletion(ApplyRequest request, List<Desired> desired, Map<String, ObjectRef> previous)
            throws ApplyException {
        if (request.allowEmpty()) {
            return;
        }
        if (desired.isEmpty()) {
            throw new ApplyException(Reason.EMPTY_DESIRED_SET, List.of(), request.environment()
                    + ": the desired set is empty (a wrong path?); refusing to apply it"
                    + (previous.isEmpty() ? "" : " and prune " + previous.size() + " objects")
                    + " unless allow-empty is set", ChangeSet.empty());
        }
        boolean keepsAny = desired.stream().anyMatch(d -> previous.containsKey(Inventory.key(d.ref())));
        if (request.prune() && !previous.isEmpty() && !keepsAny) {
            throw new ApplyException(Reason.EMPTY_DESIRED_SET, List.of(), request.environment()
                    + ": the desired set would prune every one of the " + previous.size()
                    + " objects this environment applied (a wrong path?); refusing unless allow-empty is set",
                    ChangeSet.empty());
        }
    }

    private void writeInventory(String environment, Map<String, ObjectRef> previous, Map<String, ObjectRef> next,
                                ChangeSet changeSet) throws ApplyException {
        if (previous.keySet().equals(next.keySet())
                && previous.values().stream().allMatch(ref -> ref.equals(next.get(Inventory.key(ref))))) {
            return;
        }
        ObjectRef ref = inventory.configMap(environment);
        try {
            inventory.write(environment, next.values());
        } catch (RuntimeException e) {
            throw new ApplyException(Reason.INVENTORY_FAILED, List.of(ref.id()),
                    ref.id() + ": cannot write the inventory: " + Cluster.describe(ref, e), changeSet, e);
        }
    }

    // ---- apply ----------------------------------------------------------------------------------------------

    /** Before each write: a process that no longer holds the environment (its Lease) writes nothing more. */
    private static void stillHolds(ApplyRequest request, List<ChangeSetEntry> entries) throws ApplyException {
        if (!request.stillHolds().getAsBoolean()) {
            throw new ApplyException(Reason.LEASE_LOST, List.of(), request.environment()
                    + ": this process no longer holds the environment; it stopped writing mid-apply and its holder applies",
                    new ChangeSet(entries));
        }
    }

    private void applyStaged(ApplyRequest request, List<Desired> desired, Map<String, ObjectRef> previous,
                             Map<List<String>, List<ObjectNode>> listed, List<ChangeSetEntry> entries) throws ApplyException {
        String environment = request.environment().value();
        List<Failure> failures = new ArrayList<>();
        List<ObjectRef> created = new ArrayList<>();
        for (int stage = 0; stage <= 1; stage++) {
            int current = stage;
            List<Desired> inStage = desired.stream().filter(d -> ApplyOrder.stage(d.ref()) == current).toList();
            if (!failures.isEmpty()) {
                inStage.forEach(d -> entries.add(new ChangeSetEntry(d.ref().id(), Action.SKIPPED, false,
                        "not applied: an earlier stage failed")));
                continue;
            }
            Map<ObjectRef, ObjectNode> live = liveObjects.of(environment, refs(inStage), listed);
            for (Desired d : inStage) {
                stillHolds(request, entries);
                try {
                    ChangeSetEntry entry = objects.apply(environment, d.ref(), d, d.hash(), live.get(d.ref()),
                            live.containsKey(d.ref()));
                    entries.add(entry);
                    if (entry.action() == Action.CREATED) {
                        created.add(d.ref());
                    }
                } catch (ObjectApplier.Failed e) {
                    failures.add(new Failure(d.ref(), e.getMessage()));
                }
            }
            if (failures.isEmpty() && stage == 0) {
                failures.addAll(waits.crdsEstablished(inStage.stream().map(Desired::ref).toList()));
            }
        }
        if (!failures.isEmpty()) {
            ChangeSet changeSet = new ChangeSet(entries);
            if (!created.isEmpty()) {
                // What this attempt created is tracked, or it would become an orphan nobody prunes.
                Map<String, ObjectRef> kept = new LinkedHashMap<>(previous);
                created.forEach(ref -> kept.put(Inventory.key(ref), ref));
                try {
                    writeInventory(environment, previous, kept, changeSet);
                } catch (ApplyException e) {
                    log.warn("{}: {}", environment, e.getMessage());
                }
            }
            throw failure(Reason.APPLY_FAILED, failures, changeSet);
        }
    }

    private static List<ObjectRef> refs(List<Desired> desired) {
        return desired.stream().map(Desired::ref).toList();
    }

    /** The watch cache of this applier's cluster; null without watches. For tests. */
    LiveCache liveCache() {
        return live;
    }

    // ---- errors ---------------------------------------------------------------------------------------------

    /** One exception naming every failed object, the first one first: {@code Deployment/shop/api: apply failed: 500 ...}. */
    public static ApplyException failure(Reason reason, List<Failure> failures, ChangeSet changeSet) {
        String message = failures.stream().map(f -> f.ref().id() + ": " + f.message()).collect(Collectors.joining("; "));
        return new ApplyException(reason, failures.stream().map(f -> f.ref().id()).toList(), message, changeSet);
    }
}
