package dev.drawbridge.apply;

import java.util.Comparator;
import java.util.Objects;

/** Identifies one object in a cluster. {@code namespace} is null for cluster-scoped objects. */
public record ObjectRef(String apiVersion, String kind, String namespace, String name) {

    public static final Comparator<ObjectRef> BY_ID = Comparator.comparing(ObjectRef::id).thenComparing(ObjectRef::apiVersion);

    public ObjectRef {
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        namespace = namespace == null || namespace.isEmpty() ? null : namespace;
    }

    /** {@code Kind/namespace/name} or {@code Kind/name}, as in Flux's change sets. */
    public String id() {
        return namespace == null ? kind + "/" + name : kind + "/" + namespace + "/" + name;
    }

    /** The API group, empty for the core group. */
    public String group() {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    public boolean is(String group, String kind) {
        return this.kind.equals(kind) && group().equals(group);
    }

    @Override
    public String toString() {
        return id();
    }
}
