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

    // Written out: a record's own equals and hashCode run through method handles, slow in serve's C1-compiled code,
    // and refs are map keys several times per object of every apply.
    @Override
    public boolean equals(Object other) {
        return other instanceof ObjectRef o && name.equals(o.name) && kind.equals(o.kind)
                && Objects.equals(namespace, o.namespace) && apiVersion.equals(o.apiVersion);
    }

    @Override
    public int hashCode() {
        int hash = apiVersion.hashCode();
        hash = 31 * hash + kind.hashCode();
        hash = 31 * hash + Objects.hashCode(namespace);
        return 31 * hash + name.hashCode();
    }
}
