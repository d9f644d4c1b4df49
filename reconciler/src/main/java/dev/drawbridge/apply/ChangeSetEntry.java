package dev.drawbridge.apply;

import java.util.Objects;

/**
 * One object of a change set.
 *
 * @param id     {@code Kind/namespace/name}, or {@code Kind/name} for cluster-scoped objects
 *               (e.g. {@code Deployment/shop/api}, {@code Namespace/shop})
 * @param action what was done
 * @param drift  true when the live object had been changed by someone else while its desired state in Git had
 *               not changed; the change was undone
 */
public record ChangeSetEntry(String id, Action action, boolean drift) {

    public ChangeSetEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(action, "action");
        if (drift && action != Action.CONFIGURED) {
            throw new IllegalArgumentException("drift is only reported on a configured object: " + id + " " + action);
        }
    }

    @Override
    public String toString() {
        return id + " " + action.label() + (drift ? " (drift undone)" : "");
    }
}
