package dev.drawbridge.apply;

/** What an apply did to one object (Flux's change set actions). */
public enum Action {
    /** The object did not exist and was created. */
    CREATED,
    /** The object existed and differed from the desired state (changed in Git or drifted); it was applied. */
    CONFIGURED,
    /** The live object already had every desired field; nothing was written. */
    UNCHANGED,
    /** The object left Git and was pruned. */
    DELETED,
    /** Nothing was done: an earlier stage failed, or the object left Git while pruning is disabled. */
    SKIPPED;

    /** Whether this action wrote to the API server. */
    public boolean isWrite() {
        return this == CREATED || this == CONFIGURED || this == DELETED;
    }

    /** Lower case, as in logs and reports: {@code configured}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
