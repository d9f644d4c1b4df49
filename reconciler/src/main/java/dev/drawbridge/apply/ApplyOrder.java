package dev.drawbridge.apply;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

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

    /** One item with its place in {@link #APPLY}, computed once. */
    private record Placed<T>(int stage, int rank, String id, String apiVersion, T item) {
    }

    /**
     * {@code items} in the order of {@link #APPLY}, the place of each computed once rather than at every comparison
     * (which built two ids and looked two kinds up: most of the cost of sorting 500 objects).
     */
    static <T> List<T> inApplyOrder(Collection<T> items, Function<T, ObjectRef> refOf) {
        List<Placed<T>> placed = new ArrayList<>(items.size());
        for (T item : items) {
            ObjectRef ref = refOf.apply(item);
            placed.add(new Placed<>(stage(ref), kindRank(ref), ref.id(), ref.apiVersion(), item));
        }
        placed.sort((a, b) -> {
            int order = Integer.compare(a.stage(), b.stage());
            if (order == 0) {
                order = Integer.compare(a.rank(), b.rank());
            }
            if (order == 0) {
                order = a.id().compareTo(b.id());
            }
            return order != 0 ? order : a.apiVersion().compareTo(b.apiVersion());
        });
        List<T> sorted = new ArrayList<>(placed.size());
        placed.forEach(p -> sorted.add(p.item()));
        return sorted;
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
