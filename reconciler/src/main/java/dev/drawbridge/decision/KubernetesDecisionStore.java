package dev.drawbridge.decision;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.apply.Cluster;
import dev.drawbridge.apply.KubernetesClients;
import dev.drawbridge.apply.Manifests;
import dev.drawbridge.apply.ObjectRef;
import dev.drawbridge.apply.ReadAhead;
import dev.drawbridge.decision.DecisionStoreException.Reason;
import dev.drawbridge.json.Mappers;
import dev.drawbridge.values.CommitId;
import dev.drawbridge.values.EnvironmentName;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link DecisionStore} in the cluster: one {@code DecisionRecord} custom resource ({@code drawbridge.dev/v1alpha1},
 * CRD {@code deploy/crd-decisionrecords.yaml}) per environment, revision and policy revision, in one namespace
 * (default {@code drawbridge-system}, created when missing).
 * <ul>
 *   <li>Names are deterministic ({@link DecisionRecordObjects#objectName}), and a record is written with server-side apply,
 *       recording the same decision again (after a restart, or from a second replica) updates one object.</li>
 *   <li>Labels {@code drawbridge.dev/environment} and {@code drawbridge.dev/decision} make every read one
 *       label-selector list.</li>
 *   <li>Retention: at most {@link Settings#keepPerEnvironment} records per environment; the oldest beyond that are
 *       deleted, but never the newest applied PASS (the environment's current promotion evidence).</li>
 * </ul>
 * A record that cannot be read back (edited by hand into something invalid) is skipped with a warning, which
 * only ever removes promotion evidence: fail closed.
 */
public final class KubernetesDecisionStore implements DecisionStore, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KubernetesDecisionStore.class);

    public static final String API_VERSION = "drawbridge.dev/v1alpha1";
    public static final String KIND = "DecisionRecord";
    public static final String CRD_NAME = "decisionrecords.drawbridge.dev";
    public static final String DECISION_LABEL = "drawbridge.dev/decision";

    static final String CRD_MISSING = "the DecisionRecord CRD (" + CRD_NAME + ") is not installed; apply deploy/ "
            + "(kubectl apply -k deploy)";

    /**
     * How long a record this store wrote or saw is trusted to be still there: a record deleted by hand is written again
     * by the first reconcile of its decision after this long (a reconcile that changes nothing reads nothing before).
     */
    public static final Duration RECHECK_EVERY = Duration.ofMinutes(5);

    private static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder()
            .withGroup("drawbridge.dev").withVersion("v1alpha1").withKind(KIND).withPlural("decisionrecords")
            .withNamespaced(true).build();
    private static final ObjectMapper JSON = Mappers.TREES;

    /**
     * @param namespace          where the records live (created when missing)
     * @param keepPerEnvironment how many records of one environment to keep (at least 1)
     */
    public record Settings(String namespace, int keepPerEnvironment) {

        public static final String DEFAULT_NAMESPACE = "drawbridge-system";
        public static final int DEFAULT_KEEP = 50;

        public Settings {
            Objects.requireNonNull(namespace, "namespace");
            if (!namespace.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") || namespace.length() > 63) {
                throw new IllegalArgumentException("Invalid decision record namespace: " + namespace);
            }
            if (keepPerEnvironment < 1) {
                throw new IllegalArgumentException("Invalid number of decision records to keep (at least 1): "
                        + keepPerEnvironment);
            }
        }

        public static Settings defaults() {
            return new Settings(DEFAULT_NAMESPACE, DEFAULT_KEEP);
        }

        public Settings withNamespace(String namespace) {
            return new Settings(namespace, keepPerEnvironment);
        }

        public Settings withKeepPerEnvironment(int keep) {
            return new Settings(namespace, keep);
        }
    }

    private final KubernetesClient client;
    private final boolean ownsClient;
    private final Cluster cluster;
    private final Settings settings;
    /** What this store last wrote or found under each record name (its content without the time). */
    private final Map<String, String> known = new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * How many records each environment had at the last retention list, plus the records written since. A
     * retention list is made only when this reaches the limit (records another process wrote meanwhile are
     * then counted too), so a new record costs one write, not a write and a list.
     */
    private final Map<EnvironmentName, Integer> counts = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean namespaceReady;
    /** The last record of an environment this store wrote or found as it is, and when it last knew it was there. */
    private record Kept(String name, DecisionRecord record, Instant seenAt) {
    }

    /** The last record of each environment: its next is compared with it first. */
    private final Map<EnvironmentName, Kept> lastKept = new java.util.concurrent.ConcurrentHashMap<>();
    private final Clock clock;
    /** Record names looked up ahead ({@link #expect}): true when there was no record under the name. */
    private final Map<String, CompletableFuture<Boolean>> absent = new java.util.concurrent.ConcurrentHashMap<>();

    /** A store over {@code client} (not closed by the store) with the default settings. */
    public KubernetesDecisionStore(KubernetesClient client) {
        this(client, Settings.defaults());
    }

    public KubernetesDecisionStore(KubernetesClient client, Settings settings) {
        this(client, false, settings, Clock.systemUTC());
    }

    /** As {@link #KubernetesDecisionStore(KubernetesClient, Settings)}, telling time by {@code clock}. */
    public KubernetesDecisionStore(KubernetesClient client, Settings settings, Clock clock) {
        this(client, false, settings, clock);
    }

    private KubernetesDecisionStore(KubernetesClient client, boolean ownsClient, Settings settings, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.client = Objects.requireNonNull(client, "client");
        this.ownsClient = ownsClient;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.cluster = new Cluster(client);
    }

    /**
     * The store of the cluster of {@code context} in {@code kubeconfig} (as {@link KubernetesClients#applier}), over
     * that cluster's shared client (closed by {@code clients}, not by the store).
     */
    public static KubernetesDecisionStore of(KubernetesClients clients, Path kubeconfig, String context, Settings settings) {
        return new KubernetesDecisionStore(clients.client(kubeconfig, context), settings);
    }

    /**
     * A store in the cluster of {@code context} (null: the current context) in the kubeconfig file
     * {@code kubeconfig}. Its client is closed by {@link #close()}.
     */
    public static KubernetesDecisionStore fromKubeconfig(Path kubeconfig, String context, Settings settings) {
        Config config = KubernetesClients.config(kubeconfig, context);
        return new KubernetesDecisionStore(KubernetesClients.unshared(config), true, settings, Clock.systemUTC());
    }

    /**
     * A store in the default cluster: in-cluster (service account) when running in a pod, else
     * {@code ~/.kube/config} ({@code context}, or its current context when null). Its client is closed by
     * {@link #close()}.
     */
    public static KubernetesDecisionStore fromDefaultConfig(String context, Settings settings) {
        return new KubernetesDecisionStore(KubernetesClients.unshared(Config.autoConfigure(context)), true, settings, Clock.systemUTC());
    }

    /** Closes the client when the store made it ({@link #fromKubeconfig}, {@link #fromDefaultConfig}). */
    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }

    @Override
    public void record(DecisionRecord record) throws DecisionStoreException {
        Objects.requireNonNull(record, "record");
        String name = DecisionRecordObjects.objectName(record);
        Boolean lookedUp = answer(absent.remove(name)); // true: none there; false: there; null: not looked up
        boolean none = Boolean.TRUE.equals(lookedUp);
        Kept last = lastKept.get(record.environment());
        if (!none && last != null && last.name().equals(name) && record.sameDecisionAs(last.record()) && known.containsKey(name)) {
            if (Boolean.FALSE.equals(lookedUp)) {
                lastKept.put(record.environment(), new Kept(name, record, clock.instant()));
            }
            return; // the environment's last decision again, as this store wrote (or found) it, and still there
        }
        ObjectNode body = DecisionRecordObjects.toObject(name, settings.namespace(), record);
        String content = content(body);
        if (content.equals(known.get(name)) && !none) {
            lastKept.put(record.environment(), new Kept(name, record, Boolean.FALSE.equals(lookedUp) ? clock.instant() : Instant.EPOCH));
            return; // written (or found) by this store just so, and still there: the same decision writes nothing
        }
        GenericKubernetesResource live;
        try {
            ensureNamespace();
            live = none ? null : records().withName(name).get();
            if (live != null && DecisionRecordObjects.sameContent(toTree(live), body)) {
                log.debug("decision record {}/{} unchanged", settings.namespace(), name);
            } else {
                GenericKubernetesResource resource = client.getKubernetesSerialization()
                        .unmarshal(body.toString(), GenericKubernetesResource.class);
                records().resource(resource).fieldManager(Cluster.FIELD_MANAGER).forceConflicts().serverSideApply();
            }
        } catch (KubernetesClientException e) {
            throw failure("write", name, e);
        }
        if (known.size() > 10_000) {
            known.clear();
        }
        known.put(name, content);
        lastKept.put(record.environment(), new Kept(name, record, clock.instant()));
        if (live == null) {
            // A new record: the environment may now have one too many.
            Integer count = counts.computeIfPresent(record.environment(), (env, n) -> n + 1);
            if (count == null || count > settings.keepPerEnvironment()) {
                retain(record.environment(), name);
            }
        }
    }

    /**
     * Looks up in the background whether a record of this decision exists, so that {@link #record} need not
     * wait for that read. Only "there is none" is taken from it: {@link #record} then writes the record (a write
     * that is right even if another replica wrote the same record meanwhile); otherwise it reads it again, or,
     * when it wrote that very decision itself, writes nothing. So a record deleted since it was written (by
     * hand, or by the retention when an old revision comes back) is written again. The environment's last record,
     * written or seen there less than {@link #RECHECK_EVERY} ago, is not looked up: a reconcile that changes nothing
     * reads nothing.
     */
    @Override
    public void expect(EnvironmentName environment, CommitId revision, String policyRevision) {
        if (revision == null) {
            return;
        }
        String name = DecisionRecordObjects.objectName(environment, revision.hex(), policyRevision, null);
        if (absent.containsKey(name)) {
            return; // already being looked up
        }
        Kept last = lastKept.get(environment);
        if (last != null && last.name().equals(name) && known.containsKey(name)
                && clock.instant().isBefore(last.seenAt().plus(RECHECK_EVERY))) {
            return; // this store wrote or saw it there lately: not looked up again before RECHECK_EVERY
        }
        if (absent.size() > 100) {
            absent.clear(); // expected records never recorded: dropped rather than kept forever
        }
        absent.put(name, CompletableFuture.supplyAsync(() -> records().withName(name).get() == null, ReadAhead.POOL));
    }

    /** What a look-ahead found: true when there was no record, false when there was one, null when it did not tell. */
    private static Boolean answer(CompletableFuture<Boolean> lookedUp) {
        if (lookedUp == null) {
            return null;
        }
        try {
            return lookedUp.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return null; // read again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** A record's labels and spec without its time: what "the same decision" compares. */
    private static String content(ObjectNode body) {
        ObjectNode spec = ((ObjectNode) body.path("spec")).deepCopy();
        spec.remove("time");
        return body.path("metadata").path("labels").toString() + spec;
    }

    @Override
    public Set<String> appliedPassDigests(EnvironmentName environment) throws DecisionStoreException {
        Set<String> digests = new TreeSet<>();
        for (DecisionRecord record : list(environment, DecisionRecord.PASS)) {
            if (record.applied()) {
                digests.addAll(record.digests());
            }
        }
        return Collections.unmodifiableSet(digests);
    }

    @Override
    public List<DecisionRecord> history(EnvironmentName environment) throws DecisionStoreException {
        return list(environment, null).stream().sorted(Comparator.comparing(DecisionRecord::time)).toList();
    }

    @Override
    public Optional<DecisionRecord> latest(EnvironmentName environment) throws DecisionStoreException {
        return list(environment, null).stream().max(Comparator.comparing(DecisionRecord::time));
    }

    @Override
    public Optional<DecisionRecord> latestApplied(EnvironmentName environment) throws DecisionStoreException {
        return list(environment, null).stream().filter(DecisionRecord::applied).max(Comparator.comparing(DecisionRecord::time));
    }

    /** The records of an environment (with one decision, or all), skipping any that cannot be read. */
    private List<DecisionRecord> list(EnvironmentName environment, String decision) throws DecisionStoreException {
        Objects.requireNonNull(environment, "environment");
        List<GenericKubernetesResource> items = listObjects(environment, decision);
        List<DecisionRecord> records = new ArrayList<>();
        for (GenericKubernetesResource item : items) {
            String name = item.getMetadata() == null ? "?" : item.getMetadata().getName();
            try {
                DecisionRecord record = DecisionRecordObjects.fromObject(toTree(item));
                if (record.environment().equals(environment)) {
                    records.add(record);
                }
            } catch (RuntimeException e) {
                log.warn("{}/{}/{}: unreadable decision record skipped: {}", KIND, settings.namespace(), name, e.getMessage());
            }
        }
        return records;
    }

    private List<GenericKubernetesResource> listObjects(EnvironmentName environment, String decision) throws DecisionStoreException {
        try {
            var selected = records().withLabel(Manifests.ENVIRONMENT, environment.value());
            if (decision != null) {
                selected = selected.withLabel(DECISION_LABEL, decision);
            }
            GenericKubernetesResourceList list = selected.list();
            return list == null || list.getItems() == null ? List.of() : list.getItems();
        } catch (KubernetesClientException e) {
            throw failure("list", null, e);
        }
    }

    /** Deletes the oldest records of the environment beyond the retention, never the newest applied PASS. */
    private void retain(EnvironmentName environment, String justWritten) {
        List<GenericKubernetesResource> items;
        try {
            items = listObjects(environment, null);
        } catch (DecisionStoreException e) {
            // Housekeeping only: the decision itself is recorded; the next record tries again.
            log.warn("{}: could not apply the retention of decision records: {}", environment, e.getMessage());
            return;
        }
        if (items.size() <= settings.keepPerEnvironment()) {
            counts.put(environment, items.size());
            return;
        }
        record Entry(String name, DecisionRecord record) {
        }
        List<Entry> entries = new ArrayList<>();
        for (GenericKubernetesResource item : items) {
            String name = item.getMetadata().getName();
            DecisionRecord record;
            try {
                record = DecisionRecordObjects.fromObject(toTree(item));
            } catch (RuntimeException e) {
                record = null; // unreadable: the oldest of all, deleted first
            }
            entries.add(new Entry(name, record));
        }
        Comparator<Entry> newestFirst = Comparator.comparing((Entry e) -> e.record() == null ? Instant.MIN : e.record().time())
                .thenComparing(Entry::name).reversed();
        entries.sort(newestFirst);
        String evidence = entries.stream()
                .filter(e -> e.record() != null && e.record().applied())
                .map(Entry::name).findFirst().orElse(null);
        // The record just written and the evidence take their places first; the newest others fill the rest.
        Set<String> keep = new java.util.HashSet<>();
        keep.add(justWritten);
        if (evidence != null) {
            keep.add(evidence);
        }
        for (Entry entry : entries) {
            if (keep.size() >= settings.keepPerEnvironment()) {
                break;
            }
            keep.add(entry.name());
        }
        counts.put(environment, keep.size());
        for (Entry entry : entries) {
            if (keep.contains(entry.name())) {
                continue;
            }
            try {
                records().withName(entry.name()).delete();
                known.remove(entry.name());
                log.debug("decision record {}/{} deleted (retention {})", settings.namespace(), entry.name(),
                        settings.keepPerEnvironment());
            } catch (KubernetesClientException e) {
                // Housekeeping only: the decision itself is recorded; the next record retries the deletion.
                log.warn("{}/{}/{}: could not delete an old decision record: {}", KIND, settings.namespace(),
                        entry.name(), Cluster.describe(ref(entry.name()), e));
            }
        }
    }

    private synchronized void ensureNamespace() {
        if (namespaceReady) {
            return;
        }
        ObjectRef ref = new ObjectRef("v1", "Namespace", null, settings.namespace());
        if (cluster.get(ref) == null) {
            ObjectNode namespace = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Namespace");
            namespace.putObject("metadata").put("name", settings.namespace())
                    .putObject("labels").put(Manifests.MANAGED_BY, Manifests.MANAGER);
            cluster.apply(ref, namespace);
        }
        namespaceReady = true;
    }

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> records() {
        return client.genericKubernetesResources(CONTEXT).inNamespace(settings.namespace());
    }

    private ObjectRef ref(String name) {
        return new ObjectRef(API_VERSION, KIND, settings.namespace(), name);
    }

    /**
     * An API failure as a store failure. A 404 on a collection means the kind is not served: the CRD is missing.
     * A 404 on a write may also be a namespace deleted meanwhile, so it is told apart by listing.
     */
    private DecisionStoreException failure(String action, String name, KubernetesClientException e) {
        if (e.getCode() == 404 && (name == null || !crdServed())) {
            return new DecisionStoreException(Reason.CRD_NOT_INSTALLED, CRD_MISSING, e);
        }
        String what = KIND + "/" + settings.namespace() + (name == null ? "" : "/" + name);
        String message = e.getCode() == 0
                ? what + ": could not " + action + " decision records: the API server could not be reached: "
                        + Cluster.describe(ref(name == null ? "-" : name), e)
                : what + ": could not " + action + " decision records: " + Cluster.describe(ref(name == null ? "-" : name), e);
        if (e.getCode() == 404) {
            namespaceReady = false; // e.g. the namespace was deleted: create it again next time
        }
        return new DecisionStoreException(Reason.CLUSTER_FAILED, message, e);
    }

    private boolean crdServed() {
        try {
            records().list();
            return true;
        } catch (KubernetesClientException e) {
            return e.getCode() != 404;
        }
    }

    private JsonNode toTree(GenericKubernetesResource resource) {
        try {
            return JSON.readTree(client.getKubernetesSerialization().asJson(resource));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable decision record from the API server", e);
        }
    }
}
