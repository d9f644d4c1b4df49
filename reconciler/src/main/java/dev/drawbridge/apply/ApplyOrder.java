package dev.drawbridge.apply;

import java.util.Comparator;
import java.util.List;

/**
 * The staged order of an apply: Namespaces and CustomResourceDefinitions first (stage 0), then everything
 * else (stage 1), within a stage by kind (what others refer to first), then by id. Deletions run in the
 * reverse order.
 */
public final class ApplyOrder {

    private static final List<String> KIND_ORDER = List.of(
            "Namespace", "CustomResourceDefinition",
            "ResourceQuota", "LimitRange", "PriorityClass", "StorageClass", "PodSecurityPolicy",
            "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding",
            "Secret", "ConfigMap", "PersistentVolume", "PersistentVolumeClaim", "Service");

    /** Applying order. */
    static final Comparator<ObjectRef> APPLY = Comparator.comparingInt(ApplyOrder::stage)
            .thenComparingInt(ApplyOrder::kindRank)
            .thenComparing(ObjectRef.BY_ID);

    /** Deleting order: everything else first, Namespaces and CRDs last. */
    public static final Comparator<ObjectRef> DELETE = APPLY.reversed();

    private ApplyOrder() {
    }

    /** 0 for Namespaces and CRDs (applied first, deleted last), 1 for everything else. */
    static int stage(ObjectRef ref) {
        return isNamespace(ref) || isCrd(ref) ? 0 : 1;
    }

    static boolean isNamespace(ObjectRef ref) {
        return ref.is("", "Namespace");
    }

    public static boolean isCrd(ObjectRef ref) {
        return ref.is("apiextensions.k8s.io", "CustomResourceDefinition");
    }

    private static int kindRank(ObjectRef ref) {
        int rank = KIND_ORDER.indexOf(ref.kind());
        return rank < 0 ? KIND_ORDER.size() : rank;
    }
}
