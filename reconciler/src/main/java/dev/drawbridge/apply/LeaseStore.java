package dev.drawbridge.apply;

import java.util.Optional;

/**
 * The Leases of Drawbridge's replicas in one namespace of one cluster. Every write is optimistic: a
 * replace names the resourceVersion it read, and a create fails when the Lease exists, so two replicas
 * can never both believe they took the same Lease ({@link LeaseException#conflict()}).
 */
public interface LeaseStore {

    Optional<LeaseRecord> read(String name) throws LeaseException;

    /** Every Lease Drawbridge wrote in the namespace (label {@code app.kubernetes.io/managed-by: drawbridge}). */
    java.util.List<LeaseRecord> list() throws LeaseException;

    /** Creates the Lease; a conflict when it exists already. */
    LeaseRecord create(LeaseRecord lease) throws LeaseException;

    /** Replaces the Lease at {@code lease.resourceVersion()}; a conflict when it changed since. */
    LeaseRecord replace(LeaseRecord lease) throws LeaseException;

    /** A Lease could not be read or written; {@link #conflict()} when another replica wrote it first. */
    final class LeaseException extends Exception {
        private final boolean conflict;

        public LeaseException(String message, boolean conflict, Throwable cause) {
            super(message, cause);
            this.conflict = conflict;
        }

        public boolean conflict() {
            return conflict;
        }
    }
}
