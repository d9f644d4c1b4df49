package dev.drawbridge.apply;

import dev.drawbridge.values.EnvironmentName;

/** The port of the apply stage: makes one environment's cluster match its desired objects. */
public interface Applier {

    /**
     * Applies the desired objects of {@code request}, prunes what left them (when asked), and waits for health
     * (when asked).
     *
     * @return what was done to each object; a reconcile that changes nothing returns only UNCHANGED entries
     *         and has written nothing
     * @throws ApplyException with one {@link ApplyException.Reason}, the objects concerned, and the change set
     *                        of what was done before the failure
     */
    ChangeSet apply(ApplyRequest request) throws ApplyException;

    /**
     * Starts reading, in the background, what the next {@link #apply} of {@code environment} will read first
     * (its inventory and its live objects), so that those reads overlap the render and the gate. Reads only;
     * an apply that follows soon uses what was read, anything else is read again. Optional.
     */
    default void prefetch(EnvironmentName environment) {
    }

    /**
     * The version of the live state of what the last {@link #apply} of {@code environment} applied, as watches see
     * it (docs/live-state.md): a later version is equal only if none of those objects changed in between, so an
     * apply of the same desired objects would find nothing to do. Empty when that cannot be known (no apply yet,
     * a kind that is not watched, a watch not synced): the caller applies.
     */
    default java.util.Optional<LiveVersion> liveVersion(EnvironmentName environment) {
        return java.util.Optional.empty();
    }

    /**
     * What {@link #apply} of {@code request} would do now, without writing anything: each desired object
     * compared with the live one as the apply compares it, the changed and new ones sent as a server-side dry
     * run, and what pruning would delete from the environment's inventory. Reads only.
     *
     * @throws ApplyException when the inventory or the live objects cannot be read
     */
    default PlannedChanges preview(ApplyRequest request) throws ApplyException {
        throw new ApplyException(ApplyException.Reason.APPLY_FAILED, java.util.List.of(),
                request.environment() + ": this applier cannot preview changes", ChangeSet.empty());
    }
}
