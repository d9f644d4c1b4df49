package dev.drawbridge.apply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.apply.ApplyException.Reason;
import dev.drawbridge.apply.inventory.Inventory;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The first step of an apply: the objects to apply, validated, labelled (Drawbridge's labels, the environment's), in
 * their namespace, with their applied-hash, in apply order. Nothing is written before this succeeds.
 * <p>
 * What it made of each object is kept per environment beside the object's origin, when the caller told it
 * ({@link Origins}): at the next apply, an object of an equal origin in an equal context is, as JSON, the object it
 * was then, so its applied-hash is taken from there, and its body is built only if it is written (an object the
 * watches saw unchanged since it was found as desired is not). A commit that changes one object of five hundred
 * labels and hashes one. Only the hashes are kept (a few MB for 10,000 objects), with the origins, which share the
 * bytes of the environment's kept render.
 */
final class Preparer {

    /** A desired object ready to apply: its body (labelled, hashed) is built when first asked for. */
    static final class Desired implements Supplier<ObjectNode> {
        private final ObjectRef ref;
        private final String hash;
        private final ObjectNode object;
        private final String environment;
        private ObjectNode body;

        private Desired(ObjectRef ref, String hash, ObjectNode object, String environment, ObjectNode body) {
            this.ref = ref;
            this.hash = hash;
            this.object = object;
            this.environment = environment;
            this.body = body;
        }

        ObjectRef ref() {
            return ref;
        }

        /** The applied-hash of the body. */
        String hash() {
            return hash;
        }

        /** The object as it is applied: labelled, in its namespace, annotated with its applied-hash. */
        ObjectNode body() {
            return get();
        }

        @Override
        public synchronized ObjectNode get() {
            if (body == null) {
                ObjectNode built = build(object, environment, ref.namespace());
                String builtHash = Manifests.annotateHash(built);
                if (!builtHash.equals(hash)) {  // equal origins made unequal objects: nothing of it is applied
                    throw new IllegalStateException(ref.id() + ": its applied-hash is " + builtHash + ", not " + hash
                            + " as at the last apply of the same origin (a defect)");
                }
                body = built;
            }
            return body;
        }
    }

    /** What was made of one object: from what, and its applied-hash. */
    private record Made(Object origin, String hash) {
    }

    /** What the last prepare of an environment made, in which context. */
    private record Kept(Object context, Map<ObjectRef, Made> made) {
    }

    private final Cluster cluster;
    private final Map<String, Kept> kept = new ConcurrentHashMap<>();

    Preparer(Cluster cluster) {
        this.cluster = cluster;
    }

    List<Desired> prepare(ApplyRequest request) throws ApplyException {
        String environment = request.environment().value();
        List<ObjectNode> objects = request.objects();
        Origins origins = request.origins();
        // Without origins (a preview, a local directory) nothing is taken from, nor kept for, the environment.
        Kept last = origins == null ? null : kept.remove(environment);
        Map<ObjectRef, Made> before = last != null && last.context().equals(origins.context()) ? last.made() : Map.of();
        Map<ObjectRef, Made> made = new HashMap<>();
        Map<String, Desired> byKey = new LinkedHashMap<>();
        Map<String, Optional<Boolean>> scopes = new HashMap<>();
        for (int i = 0; i < objects.size(); i++) {
            ObjectNode object = objects.get(i);
            String where = "object #" + (i + 1);
            String apiVersion = Manifests.requiredText(object.path("apiVersion"), where + ": no apiVersion");
            String kind = Manifests.requiredText(object.path("kind"), where + ": no kind");
            String name = Manifests.requiredText(object.path("metadata").path("name"), where + " (" + kind + "): no metadata.name");
            Boolean namespaced = scopes.computeIfAbsent(apiVersion + " " + kind,
                    k -> Optional.ofNullable(namespaced(apiVersion, kind, objects))).orElse(null);
            String namespace = namespaceOf(namespaced, object.path("metadata").path("namespace").asText(""));
            ObjectRef ref = new ObjectRef(apiVersion, kind, namespace, name);
            Object origin = origins == null ? null : origins.each().get(i);
            Made previously = origin == null ? null : before.get(ref);
            Desired desired;
            if (previously != null && previously.origin().equals(origin)) {
                desired = new Desired(ref, previously.hash(), object, environment, null);
            } else {
                ObjectNode body = build(object, environment, namespace);
                desired = new Desired(ref, Manifests.annotateHash(body), object, environment, body);
            }
            if (origin != null) {
                made.put(ref, new Made(origin, desired.hash()));
            }
            if (byKey.put(Inventory.key(ref), desired) != null) {
                throw new ApplyException(Reason.INVALID_OBJECT, List.of(ref.id()),
                        ref.id() + ": appears twice in the desired objects", ChangeSet.empty());
            }
        }
        if (origins != null) {
            kept.put(environment, new Kept(origins.context(), made));
        }
        return List.copyOf(ApplyOrder.inApplyOrder(byKey.values(), Desired::ref));
    }

    /** The object labelled for the environment and placed in {@code namespace} (null: cluster-scoped), without its hash. */
    private static ObjectNode build(ObjectNode object, String environment, String namespace) {
        ObjectNode body = Manifests.desired(object, environment);
        ObjectNode metadata = (ObjectNode) body.get("metadata");
        if (namespace == null) {
            metadata.remove("namespace");
        } else {
            metadata.put("namespace", namespace);
        }
        return body;
    }

    /**
     * The namespace the object lives in, or null for a cluster-scoped one: what it names when its kind is
     * namespaced (or unknown), the client's default when it names none and its kind is namespaced.
     */
    private String namespaceOf(Boolean namespaced, String named) {
        if (Boolean.FALSE.equals(namespaced)) {
            return null;
        }
        if (!named.isEmpty()) {
            return named;
        }
        return Boolean.TRUE.equals(namespaced) ? cluster.defaultNamespace() : null;
    }

    /** Whether the kind is namespaced: from the CRDs among the desired objects, else from the cluster; null: unknown. */
    private Boolean namespaced(String apiVersion, String kind, List<ObjectNode> objects) {
        Boolean namespaced = Manifests.scopeFromCrds(apiVersion, kind, objects);
        return namespaced != null ? namespaced : cluster.isNamespaced(apiVersion, kind);
    }
}
