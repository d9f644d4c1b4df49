package dev.drawbridge.decision;

import dev.drawbridge.values.CommitId;
import dev.drawbridge.values.EnvironmentName;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where the gate's decisions are kept, so that a restart or a second replica loses nothing, and where
 * promotion evidence ({@code promotion.evidence}) is read from: by image digest, not by commit sha, so a squash
 * merge does not break it.
 */
public interface DecisionStore {

    /**
     * Records a decision. Recording the same environment, revision and policy revision again replaces the earlier
     * record (no duplicates); older records of the environment beyond the store's retention are deleted.
     */
    void record(DecisionRecord record) throws DecisionStoreException;

    /**
     * Says that a decision of {@code environment} on {@code revision} (a commit) under {@code policyRevision}
     * will be recorded soon, so that the store may prepare in the background what {@link #record} needs. A hint:
     * it never fails and may do nothing.
     */
    default void expect(EnvironmentName environment, CommitId revision, String policyRevision) {
    }

    /**
     * Every image digest that appears in a decision of {@code environment} that was PASS and applied: the
     * digests that may be promoted from it.
     */
    Set<String> appliedPassDigests(EnvironmentName environment) throws DecisionStoreException;

    /** The newest decision of {@code environment} (by its time), or empty when it has none. */
    Optional<DecisionRecord> latest(EnvironmentName environment) throws DecisionStoreException;

    /** The newest decision of {@code environment} that was applied (by its time), or empty when it has none. */
    Optional<DecisionRecord> latestApplied(EnvironmentName environment) throws DecisionStoreException;

    /**
     * Every decision of {@code environment} the store keeps (its retention), oldest first: the history that time
     * to fix and the last block are read from. A store that keeps no history says so with an exception.
     */
    default List<DecisionRecord> history(EnvironmentName environment) throws DecisionStoreException {
        throw new DecisionStoreException(DecisionStoreException.Reason.CLUSTER_FAILED,
                "this decision store keeps no history", null);
    }
}
