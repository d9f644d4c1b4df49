package dev.drawbridge.reconcile;

/** Why a reconcile did not apply: one machine-readable reason per failed stage (STYLE.md). */
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
    /** The API server refused an object, or the apply could not start (deletion guard, inventory). */
    APPLY_FAILED,
    /** Objects that left Git could not all be deleted. */
    PRUNE_FAILED,
    /** The workloads did not become healthy in time. */
    HEALTH_FAILED
}
