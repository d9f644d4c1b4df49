package dev.drawbridge.decision;

import java.util.Objects;

/**
 * Decision records could not be written or read. The message says what to do and never contains a secret.
 */
public class DecisionStoreException extends Exception {

    /** Why the store failed. */
    public enum Reason {
        /** The cluster does not serve DecisionRecords: the CRD from {@code deploy/} is not installed. */
        CRD_NOT_INSTALLED,
        /** The API server refused the request, failed, or could not be reached. */
        CLUSTER_FAILED
    }

    private final Reason reason;

    public DecisionStoreException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
