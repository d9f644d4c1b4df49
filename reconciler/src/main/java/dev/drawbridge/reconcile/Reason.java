package dev.drawbridge.reconcile;

/** Why a reconcile did not apply: one machine-readable reason per failed stage (docs/operations.md has a runbook for each). */
public enum Reason {
    /** The environment branch or the policy repository could not be fetched. */
    SOURCE_FAILED,
    /**
     * The environment branch was force-pushed: the revision last applied is no longer in its history. Nothing
     * is applied until the branch is restored or the new history is accepted.
     */
    FORCE_PUSHED,
    /** The policy is missing or does not parse or validate. */
    POLICY_FAILED,
    /** Kustomize failed, or its output is not valid Kubernetes YAML. */
    RENDER_FAILED,
    /**
     * A kustomization names content Git did not review: a URL in a field Kustomize loads from, or a Helm
     * chart. Refused before Kustomize runs, so nothing is fetched.
     */
    RENDER_REMOTE_REFUSED,
    /** At least one image is blocked by the policy. */
    GATE_BLOCKED,
    /** Something the gate needs could not be checked (a registry, an image reference, promotion evidence). */
    GATE_ERROR,
    /**
     * The API server refused an object, or the apply could not start (deletion guard, inventory, the cluster
     * unreachable, or its decision records unreadable so the force-push guard cannot check the branch).
     */
    APPLY_FAILED,
    /** Objects that left Git could not all be deleted. */
    PRUNE_FAILED,
    /** The workloads did not become healthy in time. */
    HEALTH_FAILED,
    /**
     * This replica lost the environment's Lease before applying (serve with several replicas): nothing was
     * applied, recorded or posted; the replica that holds it now does that.
     */
    LEASE_LOST,
    /**
     * Something nothing expected (a defect): reported as what it is, never as a cluster or registry problem.
     * Nothing was applied after it.
     */
    INTERNAL
}
