package dev.drawbridge.apply;

import java.util.Objects;

/**
 * One object of a change set.
 *
 * @param id     {@code Kind/namespace/name}, or {@code Kind/name} for cluster-scoped objects
 *               (e.g. {@code Deployment/shop/api}, {@code Namespace/shop})
 * @param action what was done
 * @param drift  true when the live object had been changed by someone else (a field Drawbridge applies changed
 *               while its desired state in Git had not, or a field or list item added by another field manager);
 *               the change was undone
 * @param detail why, in a few words, or empty: for a drift, who changed what
 *               ({@code kubectl-edit added spec.template.spec.containers[name=sidecar]}); for a skipped object, why it
 *               was left alone ({@code not pruned: label app.kubernetes.io/managed-by is missing})
 */
public record ChangeSetEntry(String id, Action action, boolean drift, String detail) {

    public ChangeSetEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(action, "action");
        detail = detail == null ? "" : detail;
        if (drift && action != Action.CONFIGURED) {
            throw new IllegalArgumentException("drift is only reported on a configured object: " + id + " " + action);
        }
    }

    /** An entry without detail. */
    public ChangeSetEntry(String id, Action action, boolean drift) {
        this(id, action, drift, "");
    }

    /**
     * As in Flux's apply log: {@code Deployment/shop/api configured}, {@code Deployment/shop/api configured
     * (drift undone: kubectl-edit added spec.template.spec.containers[name=sidecar])},
     * {@code ConfigMap/shop/x skipped: not pruned: ...}.
     */
    @Override
    public String toString() {
        if (drift) {
            return id + " " + action.label() + (detail.isEmpty() ? " (drift undone)" : " (drift undone: " + detail + ")");
        }
        return id + " " + action.label() + (detail.isEmpty() ? "" : ": " + detail);
    }
}
