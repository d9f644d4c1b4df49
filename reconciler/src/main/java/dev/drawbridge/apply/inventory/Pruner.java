package dev.drawbridge.apply.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.apply.Action;
import dev.drawbridge.apply.ApplyOrder;
import dev.drawbridge.apply.ApplyRequest;
import dev.drawbridge.apply.ChangeSetEntry;
import dev.drawbridge.apply.Cluster;
import dev.drawbridge.apply.KubernetesApplier.Failure;
import dev.drawbridge.apply.Manifests;
import dev.drawbridge.apply.ObjectRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Deletes what left Git, in reverse apply order. An object is deleted only when it is in the environment's
 * inventory AND still carries, live, both ownership labels ({@code app.kubernetes.io/managed-by: drawbridge},
 * {@code drawbridge.dev/environment: <env>}), as Flux deletes only objects with its owner labels: a forged
 * inventory entry, or an object someone took over by relabelling it, is left alone, reported as skipped with
 * the reason, and dropped from the inventory (it is no longer this environment's, as Flux's inventory keeps only
 * what was applied). With pruning off, what left Git stays tracked, so it is pruned once pruning is on.
 */
public final class Pruner {

    private static final Logger log = LoggerFactory.getLogger(Pruner.class);

    private final Cluster cluster;

    public Pruner(Cluster cluster) {
        this.cluster = cluster;
    }

    /**
     * Prunes what {@code previous} has and {@code next} has not; adds an entry per object to {@code entries}, and
     * puts back into {@code next} what must stay tracked (pruning off, deletion failed).
     *
     * @return the objects whose deletion failed
     */
    public List<Failure> prune(ApplyRequest request, Map<String, ObjectRef> previous, Map<String, ObjectRef> next,
                        List<ChangeSetEntry> entries) {
        List<ObjectRef> stale = previous.entrySet().stream()
                .filter(e -> !next.containsKey(e.getKey()))
                .map(Map.Entry::getValue)
                .sorted(ApplyOrder.DELETE)
                .toList();
        List<Failure> failures = new ArrayList<>();
        for (ObjectRef ref : stale) {
            if (!request.prune()) {
                next.put(Inventory.key(ref), ref);
                entries.add(new ChangeSetEntry(ref.id(), Action.SKIPPED, false, "left Git; pruning is off"));
                continue;
            }
            try {
                ObjectNode live = cluster.get(ref);
                String refusal = live == null ? null : refusal(live, request.environment().value());
                if (refusal != null) {
                    log.warn("{}: {}", ref.id(), refusal);
                    entries.add(new ChangeSetEntry(ref.id(), Action.SKIPPED, false, refusal));
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

    /** Why the live object must not be deleted for {@code environment}, or null when it may. */
    static String refusal(ObjectNode live, String environment) {
        JsonNode labels = live.path("metadata").path("labels");
        String managedBy = labels.path(Manifests.MANAGED_BY).asText(null);
        String owner = labels.path(Manifests.ENVIRONMENT).asText(null);
        if (owner != null && !owner.equals(environment)) {
            return "not pruned: belongs to environment " + owner + " (label " + Manifests.ENVIRONMENT + ")";
        }
        if (!Manifests.MANAGER.equals(managedBy)) {
            return "not pruned: label " + Manifests.MANAGED_BY + (managedBy == null ? " is missing" : " is " + managedBy);
        }
        if (owner == null) {
            return "not pruned: label " + Manifests.ENVIRONMENT + " is missing";
        }
        return null;
    }

    /** Whether the API serves the kind of {@code ref}; true when that cannot be told (keep it, retry later). */
    private boolean servesKind(ObjectRef ref) {
        try {
            return cluster.servesKind(ref.apiVersion(), ref.kind());
        } catch (RuntimeException e) {
            return true;
        }
    }
}
