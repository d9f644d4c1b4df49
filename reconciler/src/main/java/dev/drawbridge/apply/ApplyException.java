package dev.drawbridge.apply;

import java.util.List;
import java.util.Objects;

/**
 * An apply that did not complete. Carries one machine-readable {@link Reason}, the ids of the objects
 * concerned ({@code Kind/namespace/name}) and the change set of what was done before the failure.
 * The message starts with the object it is about and never contains object data (a Secret's values).
 */
public class ApplyException extends Exception {

    /** Why an apply failed. The reconcile orchestrator maps these to its own reasons. */
    public enum Reason {
        /** An object is not a valid Kubernetes object (no apiVersion, kind or name; a duplicate). Nothing written. */
        INVALID_OBJECT,
        /** The deletion guard: the desired set is empty or would prune every object of the environment. Nothing written. */
        EMPTY_DESIRED_SET,
        /** The environment's inventory could not be read or written. */
        INVENTORY_FAILED,
        /** The API server refused or failed to apply an object (or a CRD did not become established). Nothing pruned. */
        APPLY_FAILED,
        /** Some objects that left Git could not be deleted; they stay in the inventory. */
        PRUNE_FAILED,
        /** The workloads did not become healthy within the timeout. */
        HEALTH_FAILED,
        /** This process stopped holding the environment (its Lease) mid-apply and wrote nothing more: the holder applies. */
        LEASE_LOST
    }

    private final Reason reason;
    private final List<String> objectIds;
    private final transient ChangeSet changeSet;

    public ApplyException(Reason reason, List<String> objectIds, String message, ChangeSet changeSet, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.objectIds = List.copyOf(objectIds);
        this.changeSet = changeSet == null ? ChangeSet.empty() : changeSet;
    }

    public ApplyException(Reason reason, List<String> objectIds, String message, ChangeSet changeSet) {
        this(reason, objectIds, message, changeSet, null);
    }

    public Reason reason() {
        return reason;
    }

    /** The objects the failure is about (may be empty, e.g. for an empty desired set). */
    public List<String> objectIds() {
        return objectIds;
    }

    /** The first object the failure is about, or null. */
    public String objectId() {
        return objectIds.isEmpty() ? null : objectIds.get(0);
    }

    /** What was done before the failure (applied objects, deletions, skipped objects). */
    public ChangeSet changeSet() {
        return changeSet;
    }
}
