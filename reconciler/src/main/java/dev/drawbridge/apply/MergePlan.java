package dev.drawbridge.apply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.apply.inventory.Inventory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What applying a set of objects would change, without changing anything: each object compared with the live
 * one as an apply compares it, the changed ones sent as a server-side dry run (what the API server would refuse
 * is kept with its reason), and what the inventory holds beyond them listed as deleted (or skipped without
 * pruning). The change a merge would make, for a pull request's comment.
 */
final class MergePlan {

    /** One desired object: its reference, its body as it would be applied, its applied hash. */
    record Planned(ObjectRef ref, ObjectNode body, String hash) {
    }

    private MergePlan() {
    }

    static PlannedChanges of(Cluster cluster, List<Planned> desired, Map<ObjectRef, ObjectNode> live,
                             Map<String, ObjectRef> previous, boolean prune) throws ApplyException {
        List<ChangeSetEntry> entries = new ArrayList<>();
        Map<String, String> refused = new LinkedHashMap<>();
        for (Planned d : desired) {
            ObjectNode current;
            try {
                current = live.containsKey(d.ref()) ? live.get(d.ref()) : cluster.get(d.ref());
            } catch (RuntimeException e) {
                throw new ApplyException(ApplyException.Reason.APPLY_FAILED, List.of(d.ref().id()), d.ref().id() + ": cannot read: "
                        + Cluster.describe(d.ref(), e), ChangeSet.empty());
            }
            if (current != null && Manifests.containedIn(d.body(), current)) {
                entries.add(new ChangeSetEntry(d.ref().id(), Action.UNCHANGED, false));
                continue;
            }
            try {
                cluster.dryRunApply(d.ref(), d.body());
            } catch (RuntimeException e) {
                refused.put(d.ref().id(), Cluster.describe(d.ref(), e));
            }
            boolean drift = current != null && d.hash().equals(Manifests.appliedHash(current));
            entries.add(new ChangeSetEntry(d.ref().id(), current == null ? Action.CREATED : Action.CONFIGURED, drift));
        }
        Map<String, ObjectRef> next = Inventory.byKey(desired.stream().map(Planned::ref).toList());
        List<ObjectRef> leaving = previous.entrySet().stream().filter(e -> !next.containsKey(e.getKey()))
                .map(Map.Entry::getValue).sorted(ApplyOrder.DELETE).toList();
        for (ObjectRef ref : leaving) {
            entries.add(new ChangeSetEntry(ref.id(), prune ? Action.DELETED : Action.SKIPPED, false));
        }
        return new PlannedChanges(new ChangeSet(entries), refused);
    }
}
