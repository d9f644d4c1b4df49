package dev.drawbridge.decision;

import java.time.Instant;

/**
 * Which one-time notices were sent, kept in the cluster so that a restart or a second replica does not send one
 * again (e.g. an exception entering its warning window). A notice is claimed before it is sent: at most once.
 */
public interface NoticeLedger {

    /**
     * Records {@code key} as sent at {@code at} unless it already is. True when this call recorded it (send the
     * notice), false when it was already there (another run or replica sent it).
     *
     * @throws DecisionStoreException when the cluster cannot be read or written: send nothing, try again later
     */
    boolean claim(String key, Instant at) throws DecisionStoreException;
}
