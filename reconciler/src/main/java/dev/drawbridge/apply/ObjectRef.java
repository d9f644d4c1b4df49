package dev.drawbridge.apply;

import java.util.Comparator;
import java.util.Objects;

/** Identifies one object in a cluster. {@code namespace} is null for cluster-scoped objects. */
record ObjectRef(String apiVersion, String kind, String namespace, String name) {

    static final Comparator<ObjectRef> BY_ID = Comparator.comparing(ObjectRef::id).thenComparing(ObjectRef::apiVersion);

    ObjectRef {
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        namespace = namespace == null || namespace.isEmpty() ? null : namespace;
    }

    /** {@code Kind/namespace/name} or {@code Kind/name}, as in Flux's change sets. */
    String id() {
        return namespace == null ? kind + "/" + name : kind + "/" + namespace + "/" + name;
    }

    /** The API group, empty for the core group. */
    String group() {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    boolean is(String group, String kind) {
        return this.kind.equals(kind) && group().equals(group);
    }

    @Override
    public String toString() {
        return id();
    }
}
