package dev.drawbridge.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.apply.ApplyException.Reason;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@link Applier} over a Kubernetes API server (Fabric8 client). One apply:
 * <ol>
 *   <li>prepare the desired objects: validate, resolve namespaces, add the ownership labels and the
 *       applied-hash annotation, sort into stages;</li>
 *   <li>read the environment's inventory; apply the deletion guard;</li>
 *   <li>apply stage by stage (Namespaces and CRDs, wait for the CRDs to be established, then the rest),
 *       writing only objects whose live state lacks a desired field, undoing and reporting drift;</li>
 *   <li>prune what the previous inventory has and the desired set has not, in reverse order;</li>
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
     */
    public record Settings(String inventoryNamespace, Duration crdEstablishTimeout, Duration pollInterval) {

        public static final String DEFAULT_INVENTORY_NAMESPACE = "drawbridge-system";

        public Settings {
            Objects.requireNonNull(inventoryNamespace, "inventoryNamespace");
            Objects.requireNonNull(crdEstablishTimeout, "crdEstablishTimeout");
            Objects.requireNonNull(pollInterval, "pollInterval");
            if (!inventoryNamespace.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") || inventoryNamespace.length() > 63) {
                throw new IllegalArgumentException("Invalid inventory namespace: " + inventoryNamespace);
            }
            if (pollInterval.isNegative() || pollInterval.isZero()) {
                throw new IllegalArgumentException("Invalid poll interval (must be positive): " + pollInterval);
            }
        }

        public static Settings defaults() {
            return new Settings(DEFAULT_INVENTORY_NAMESPACE, Duration.ofMinutes(1), Duration.ofSeconds(2));
        }

        public Settings withInventoryNamespace(String namespace) {
            return new Settings(namespace, crdEstablishTimeout, pollInterval);
        }
    }

    private final KubernetesClient client;
    private final boolean ownsClient;
    private final Cluster cluster;
    private final Inventory inventory;
    private final Settings settings;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Map<String, CompletableFuture<LiveState>> prefetched = new ConcurrentHashMap<>();

    /** An applier over {@code client} (not closed by {@link #close()}), default settings, system clock. */
    public KubernetesApplier(KubernetesClient client) {
        this(client, Settings.defaults(), Clock.systemUTC(), Sleeper.system());
    }

    public KubernetesApplier(KubernetesClient client, Settings settings, Clock clock, Sleeper sleeper) {
        this(client, false, settings, clock, sleeper);
    }

    private KubernetesApplier(KubernetesClient client, boolean ownsClient, Settings settings, Clock clock, Sleeper sleeper) {
        this.client = Objects.requireNonNull(client, "client");
        this.ownsClient = ownsClient;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.cluster = new Cluster(client);
        this.inventory = new Inventory(cluster, settings.inventoryNamespace());
    }

    /**
     * An applier for the cluster of {@code context} (null: the current context) in the kubeconfig file
     * {@code kubeconfig}. Its client is closed by {@link #close()}.
     */
    public static KubernetesApplier fromKubeconfig(Path kubeconfig, String context, Settings settings) {
        String contents;
        try {
            contents = Files.readString(kubeconfig);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read kubeconfig " + kubeconfig + ": " + e.getMessage(), e);
        }
        Config config = Config.fromKubeconfig(context, contents, kubeconfig.toString());
        return new KubernetesApplier(client(config), true, settings, Clock.systemUTC(), Sleeper.system());
    }

    /**
     * An applier for the default cluster: in-cluster (service account) when running in a pod, else
     * {@code ~/.kube/config} ({@code context}, or its current context when null). Its client is closed by
     * {@link #close()}.
     */
    public static KubernetesApplier fromDefaultConfig(String context, Settings settings) {
        return new KubernetesApplier(client(Config.autoConfigure(context)), true, settings, Clock.systemUTC(),
                Sleeper.system());
    }

    static KubernetesClient client(Config config) {
        return client(config, null);
    }

    /** @param http the HTTP client factory (one Vert.x for many clients, see {@link KubernetesClients}); null: Fabric8's */
    static KubernetesClient client(Config config, HttpClient.Factory http) {
        // Fabric8 retries a 5xx up to 10 times with exponential backoff (minutes in all); a reconcile that fails
        // is retried by the scheduler, so keep a few quick retries for blips only.
        config.setRequestRetryBackoffLimit(3);
        KubernetesClientBuilder builder = new KubernetesClientBuilder().withConfig(config);
        return (http == null ? builder : builder.withHttpClientFactory(http)).build();
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }

    /** A prefetch older than this when the apply starts is not used: the live state is read again. */
    static final Duration PREFETCH_MAX_AGE = Duration.ofSeconds(30);

    /**
     * What a prefetch read: the inventory (null when it could not be read: the apply reads it again and
     * reports the failure) and the labelled list of each group of the inventory that it could list.
     */
    private record LiveState(Instant readAt, Map<String, ObjectRef> inventory, Map<List<String>, List<ObjectNode>> lists) {
    }

    @Override
    public void prefetch(String environment) {
        CompletableFuture<LiveState> previous = prefetched.put(environment,
                CompletableFuture.supplyAsync(() -> readLive(environment), ReadAhead.POOL));
        if (previous != null) {
            previous.cancel(false);
        }
    }

    private LiveState readLive(String environment) {
        Instant readAt = clock.instant();
        Map<String, ObjectRef> inventoried;
        try {
            inventoried = inventory.read(environment);
        } catch (RuntimeException e) {
            return new LiveState(readAt, null, Map.of());
        }
        Map<List<String>, List<ObjectNode>> lists = new HashMap<>();
        for (List<String> group : groups(inventoried.values().stream())) {
            list(environment, group).ifPresent(items -> lists.put(group, items));
        }
        return new LiveState(readAt, inventoried, lists);
    }

    /** What {@link #prefetch} read for this apply, if it is recent enough and worked. */
    private Optional<LiveState> prefetched(String environment) {
        CompletableFuture<LiveState> future = prefetched.remove(environment);
        if (future == null || future.isCancelled()) {
            return Optional.empty();
        }
        try {
            LiveState state = future.get();
            boolean fresh = Duration.between(state.readAt(), clock.instant()).compareTo(PREFETCH_MAX_AGE) <= 0;
            return fresh && state.inventory() != null ? Optional.of(state) : Optional.empty();
        } catch (ExecutionException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** A desired object ready to apply. */
    private record Desired(ObjectRef ref, ObjectNode body, String hash) {
    }

    /** One object that could not be applied or deleted. */
    private record Failure(ObjectRef ref, String message) {
    }

    @Override
    public ChangeSet apply(ApplyRequest request) throws ApplyException {
        String environment = request.environment();

        // Prepare: validated, labelled, hashed, in apply order. Nothing is written before this succeeds.
        List<Desired> desired = prepare(request);

        // The inventory of the last successful apply (as prefetched, if it was); the deletion guard.
        Optional<LiveState> early = prefetched(environment);
        Map<String, ObjectRef> previous = early.isPresent() ? early.get().inventory() : readInventory(environment);
        guardDeletion(request, desired, previous);

        // Apply in stages; nothing is pruned after a failed apply.
        List<ChangeSetEntry> entries = new ArrayList<>();
        applyStaged(request, desired, previous, early.map(LiveState::lists).orElse(Map.of()), entries);

        // Prune what left Git; what could not be deleted stays in the inventory.
        Map<String, ObjectRef> next = Inventory.byKey(desired.stream().map(Desired::ref).toList());
        List<Failure> pruneFailures = prune(request, previous, next, entries);
        ChangeSet changeSet = new ChangeSet(entries);

        // Record what this environment now has applied (only when it changed).
        stillHolds(request, entries);
        writeInventory(environment, previous, next, changeSet);
        if (!pruneFailures.isEmpty()) {
            throw failure(Reason.PRUNE_FAILED, pruneFailures, changeSet);
        }

        // Health, when asked.
        if (request.waitForHealth()) {
            waitForHealth(desired, request.healthTimeout(), changeSet);
        }
        if (changeSet.hasChanges()) {
            log.info("{}: applied: {}", environment, changeSet.summary());
        } else {
            log.debug("{}: applied: {}", environment, changeSet.summary());
        }
        return changeSet;
    }

    // ---- prepare -------------------------------------------------------------------------------------------

    private List<Desired> prepare(ApplyRequest request) throws ApplyException {
        List<ObjectNode> objects = request.objects();
        Map<String, Desired> byKey = new LinkedHashMap<>();
        Map<String, Optional<Boolean>> scopes = new HashMap<>();
        for (int i = 0; i < objects.size(); i++) {
            ObjectNode object = objects.get(i);
            String where = "object #" + (i + 1);
            String apiVersion = requiredText(object.path("apiVersion"), where + ": no apiVersion");
            String kind = requiredText(object.path("kind"), where + ": no kind");
            String name = requiredText(object.path("metadata").path("name"), where + " (" + kind + "): no metadata.name");
            ObjectNode body = Manifests.desired(object, request.environment());
            Boolean namespaced = scopes.computeIfAbsent(apiVersion + " " + kind,
                    k -> Optional.ofNullable(namespaced(apiVersion, kind, objects))).orElse(null);
            String namespace = namespaceOf(namespaced, object.path("metadata").path("namespace").asText(""));
            if (namespace == null) {
                ((ObjectNode) body.get("metadata")).remove("namespace");
            } else {
                ((ObjectNode) body.get("metadata")).put("namespace", namespace);
            }
            String hash = Manifests.annotateHash(body);
            ObjectRef ref = new ObjectRef(apiVersion, kind, namespace, name);
            Desired previous = byKey.put(Inventory.key(ref), new Desired(ref, body, hash));
            if (previous != null) {
                throw new ApplyException(Reason.INVALID_OBJECT, List.of(ref.id()),
                        ref.id() + ": appears twice in the desired objects", ChangeSet.empty());
            }
        }
        return byKey.values().stream().sorted(Comparator.comparing(Desired::ref, ApplyOrder.APPLY)).toList();
    }

    private static String requiredText(JsonNode node, String error) throws ApplyException {
        if (!node.isTextual() || node.asText().isBlank()) {
            throw new ApplyException(Reason.INVALID_OBJECT, List.of(), error, ChangeSet.empty());
        }
        return node.asText();
    }

    /**
     * The namespace the object lives in, or null for a cluster-scoped one: what it names when its kind is
     * namespaced (or unknown), the client's default when it names none and its kind is namespaced.
     */
    private String namespaceOf(Boolean namespaced, String named) {
        if (Boolean.FALSE.equals(namespaced)) {
            return null;
        }
        if (!named.isEmpty()) {
            return named;
        }
        return Boolean.TRUE.equals(namespaced) ? cluster.defaultNamespace() : null;
    }

    /** Whether the kind is namespaced: from the CRDs among the desired objects, else from the cluster; null: unknown. */
    private Boolean namespaced(String apiVersion, String kind, List<ObjectNode> objects) {
        Boolean namespaced = scopeFromCrds(apiVersion, kind, objects);
        return namespaced != null ? namespaced : cluster.isNamespaced(apiVersion, kind);
    }

    /** The scope of a custom resource whose CRD is among the desired objects, else null. */
    private static Boolean scopeFromCrds(String apiVersion, String kind, List<ObjectNode> objects) {
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        for (ObjectNode object : objects) {
            if ("CustomResourceDefinition".equals(object.path("kind").asText())
                    && group.equals(object.path("spec").path("group").asText())
                    && kind.equals(object.path("spec").path("names").path("kind").asText())) {
                return "Namespaced".equals(object.path("spec").path("scope").asText());
            }
        }
        return null;
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
        String environment = request.environment();
        List<Failure> failures = new ArrayList<>();
        List<ObjectRef> created = new ArrayList<>();
        for (int stage = 0; stage <= 1; stage++) {
            int current = stage;
            List<Desired> inStage = desired.stream().filter(d -> ApplyOrder.stage(d.ref()) == current).toList();
            if (!failures.isEmpty()) {
                inStage.forEach(d -> entries.add(new ChangeSetEntry(d.ref().id(), Action.SKIPPED, false)));
                continue;
            }
            Map<ObjectRef, ObjectNode> live = liveObjects(environment, inStage, listed);
            for (Desired d : inStage) {
                stillHolds(request, entries);
                try {
                    ChangeSetEntry entry = applyOne(environment, d, live);
                    entries.add(entry);
                    if (entry.action() == Action.CREATED) {
                        created.add(d.ref());
                    }
                } catch (ObjectFailure e) {
                    failures.add(new Failure(d.ref(), e.getMessage()));
                }
            }
            if (failures.isEmpty() && stage == 0) {
                failures.addAll(waitForCrds(inStage));
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

    private static final class ObjectFailure extends Exception {
        ObjectFailure(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The live objects of this environment among {@code desired}, read with one labelled LIST per kind and
     * namespace instead of one GET per object (a 500-object environment is a handful of requests), or taken
     * from what {@link #prefetch} listed. Objects the lists do not show (new ones, or ones whose label was
     * removed by hand) are read one by one later.
     */
    private Map<ObjectRef, ObjectNode> liveObjects(String environment, List<Desired> desired,
                                                   Map<List<String>, List<ObjectNode>> listed) {
        Map<ObjectRef, ObjectNode> live = new HashMap<>();
        for (List<String> group : groups(desired.stream().map(Desired::ref))) {
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

    private ChangeSetEntry applyOne(String environment, Desired d, Map<ObjectRef, ObjectNode> prefetched)
            throws ObjectFailure {
        ObjectNode live = prefetched.containsKey(d.ref()) ? prefetched.get(d.ref()) : read(d.ref());
        String owner = live == null ? null : live.path("metadata").path("labels").path(Manifests.ENVIRONMENT).asText(null);
        if (owner != null && !owner.equals(environment)) {
            throw new ObjectFailure("belongs to environment " + owner + " (label " + Manifests.ENVIRONMENT + ")");
        }
        if (live != null && Manifests.containedIn(d.body(), live)) {
            return new ChangeSetEntry(d.ref().id(), Action.UNCHANGED, false);
        }
        try {
            cluster.apply(d.ref(), d.body());
        } catch (RuntimeException e) {
            if (Cluster.code(e) != 409) {
                throw new ObjectFailure("apply failed: " + Cluster.describe(d.ref(), e));
            }
            // A conflict is expected now and then: re-read, retry once.
            log.debug("{}: conflict on apply, retrying once: {}", d.ref().id(), Cluster.describe(d.ref(), e));
            live = read(d.ref());
            if (live != null && Manifests.containedIn(d.body(), live)) {
                return new ChangeSetEntry(d.ref().id(), Action.UNCHANGED, false);
            }
            try {
                cluster.apply(d.ref(), d.body());
            } catch (RuntimeException again) {
                throw new ObjectFailure("apply failed: " + Cluster.describe(d.ref(), again));
            }
        }
        if (live == null) {
            log.debug("{}: created", d.ref().id());
            return new ChangeSetEntry(d.ref().id(), Action.CREATED, false);
        }
        // Git did not change the object (same hash as last applied) but the live object differs: drift.
        boolean drift = d.hash().equals(Manifests.appliedHash(live));
        if (drift) {
            log.info("{}: drift undone", d.ref().id());
        }
        return new ChangeSetEntry(d.ref().id(), Action.CONFIGURED, drift);
    }

    private ObjectNode read(ObjectRef ref) throws ObjectFailure {
        try {
            return cluster.get(ref);
        } catch (RuntimeException e) {
            throw new ObjectFailure("cannot read: " + Cluster.describe(ref, e));
        }
    }

    /** Waits until the CRDs among {@code applied} report Established=True; the ones that did not are failures. */
    private List<Failure> waitForCrds(List<Desired> applied) throws ApplyException {
        List<ObjectRef> pending = new ArrayList<>(applied.stream().map(Desired::ref).filter(ApplyOrder::isCrd).toList());
        Instant deadline = clock.instant().plus(settings.crdEstablishTimeout());
        while (true) {
            pending.removeIf(this::isEstablished);
            if (pending.isEmpty()) {
                return List.of();
            }
            if (!clock.instant().isBefore(deadline)) {
                return pending.stream().map(ref -> new Failure(ref, "not established after "
                        + readable(settings.crdEstablishTimeout()))).toList();
            }
            pause(deadline, ChangeSet.empty());
        }
    }

    private boolean isEstablished(ObjectRef crd) {
        try {
            ObjectNode live = cluster.get(crd);
            if (live == null) {
                return false;
            }
            for (JsonNode condition : live.path("status").path("conditions")) {
                if ("Established".equals(condition.path("type").asText()) && "True".equals(condition.path("status").asText())) {
                    return true;
                }
            }
            return false;
        } catch (RuntimeException e) {
            log.debug("{}: cannot read: {}", crd.id(), Cluster.describe(crd, e));
            return false;
        }
    }

    // ---- prune ----------------------------------------------------------------------------------------------

    private List<Failure> prune(ApplyRequest request, Map<String, ObjectRef> previous,
                                Map<String, ObjectRef> next, List<ChangeSetEntry> entries) {
        List<ObjectRef> stale = previous.entrySet().stream()
                .filter(e -> !next.containsKey(e.getKey()))
                .map(Map.Entry::getValue)
                .sorted(ApplyOrder.DELETE)
                .toList();
        List<Failure> failures = new ArrayList<>();
        for (ObjectRef ref : stale) {
            if (!request.prune()) {
                // Pruning is off: keep tracking it, so it is pruned once pruning is on.
                next.put(Inventory.key(ref), ref);
                entries.add(new ChangeSetEntry(ref.id(), Action.SKIPPED, false));
                continue;
            }
            try {
                ObjectNode live = cluster.get(ref);
                String owner = live == null ? null
                        : live.path("metadata").path("labels").path(Manifests.ENVIRONMENT).asText(null);
                if (owner != null && !owner.equals(request.environment())) {
                    log.warn("{}: not pruned: now belongs to environment {}", ref.id(), owner);
                    entries.add(new ChangeSetEntry(ref.id(), Action.SKIPPED, false));
                    continue;
                }
                if (live != null) {
                    if (!request.stillHolds().getAsBoolean()) {
                        failures.add(new Failure(ref, "not deleted: this process no longer holds the environment"));
                        next.put(Inventory.key(ref), ref);
                        continue;
                    }
                    cluster.delete(ref);
                }
                entries.add(new ChangeSetEntry(ref.id(), Action.DELETED, false));
            } catch (RuntimeException e) {
                if (!ApplyOrder.isCrd(ref) && !servesKind(ref)) {
                    // Its kind is gone from the API (CRD deleted), and with it every object of the kind.
                    log.info("{}: already gone with its kind", ref.id());
                    entries.add(new ChangeSetEntry(ref.id(), Action.DELETED, false));
                    continue;
                }
                next.put(Inventory.key(ref), ref);
                failures.add(new Failure(ref, "delete failed: " + Cluster.describe(ref, e)));
            }
        }
        return failures;
    }

    /** Whether the API serves the kind of {@code ref}; true when that cannot be told (keep it, retry later). */
    private boolean servesKind(ObjectRef ref) {
        try {
            return cluster.servesKind(ref.apiVersion(), ref.kind());
        } catch (RuntimeException e) {
            return true;
        }
    }

    // ---- health ---------------------------------------------------------------------------------------------

    private void waitForHealth(List<Desired> desired, Duration timeout, ChangeSet changeSet) throws ApplyException {
        List<ObjectRef> workloads = desired.stream().map(Desired::ref).filter(Health::isChecked).toList();
        Instant deadline = clock.instant().plus(timeout);
        while (true) {
            Map<ObjectRef, Health.State> unhealthy = new LinkedHashMap<>();
            for (ObjectRef ref : workloads) {
                Health.State state;
                try {
                    state = Health.of(ref, cluster.get(ref));
                } catch (RuntimeException e) {
                    state = Health.State.progressing("cannot read: " + Cluster.describe(ref, e));
                }
                if (state.failed()) {
                    throw failure(Reason.HEALTH_FAILED, List.of(new Failure(ref, state.detail())), changeSet);
                }
                if (!state.healthy()) {
                    unhealthy.put(ref, state);
                }
            }
            if (unhealthy.isEmpty()) {
                return;
            }
            if (!clock.instant().isBefore(deadline)) {
                List<Failure> failures = unhealthy.entrySet().stream().map(e -> new Failure(e.getKey(),
                        "not healthy after " + readable(timeout) + ": " + e.getValue().detail())).toList();
                throw failure(Reason.HEALTH_FAILED, failures, changeSet);
            }
            pause(deadline, changeSet);
        }
    }

    private void pause(Instant deadline, ChangeSet changeSet) throws ApplyException {
        Duration left = Duration.between(clock.instant(), deadline);
        try {
            sleeper.sleep(left.compareTo(settings.pollInterval()) < 0 ? left : settings.pollInterval());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApplyException(Reason.HEALTH_FAILED, List.of(), "interrupted while waiting", changeSet, e);
        }
    }

    // ---- errors ---------------------------------------------------------------------------------------------

    /** One exception naming every failed object, the first one first: {@code Deployment/shop/api: apply failed: 500 ...}. */
    private static ApplyException failure(Reason reason, List<Failure> failures, ChangeSet changeSet) {
        String message = failures.stream().map(f -> f.ref().id() + ": " + f.message()).collect(Collectors.joining("; "));
        return new ApplyException(reason, failures.stream().map(f -> f.ref().id()).toList(), message, changeSet);
    }

    /** {@code 5m}, {@code 90s}, {@code 250ms}. */
    static String readable(Duration duration) {
        if (duration.toMillis() % 1000 != 0) {
            return duration.toMillis() + "ms";
        }
        long seconds = duration.toSeconds();
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }
}
