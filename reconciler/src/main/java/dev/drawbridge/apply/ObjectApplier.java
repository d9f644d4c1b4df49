package dev.drawbridge.apply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Makes one live object match its desired state: creates it, or removes what other field managers added
 * ({@link ForeignFields}: a JSON patch, since server-side apply keeps what others own) and applies it when it
 * lacks a desired field; writes nothing when it already matches. A conflict (409, or 422 for a failed JSON patch
 * test) is expected now and then: the object is read again and the write retried once.
 */
final class ObjectApplier {

    private static final Logger log = LoggerFactory.getLogger(ObjectApplier.class);

    /** One object that could not be applied; the message starts with what failed. */
    static final class Failed extends Exception {
        Failed(String message) {
            super(message, null, false, false);
        }
    }

    private final Cluster cluster;
    private final Set<String> ignoredManagers;

    /** A live object's version at which it was found holding the desired state of this hash, with nothing to remove. */
    private record Verified(String resourceVersion, String hash) {
        /** As equals, written out (a record's own runs through method handles: slow in C1 code, once per object). */
        boolean same(Verified other) {
            return other != null && resourceVersion.equals(other.resourceVersion) && hash.equals(other.hash);
        }
    }

    /** Entries kept at most; beyond, all are forgotten (each is compared once more, then kept again). */
    static final int MAX_VERIFIED = 100_000;

    /**
     * Each object last found as desired, at which version: while its live version and its desired hash stay those,
     * it is as it was found, so it is not compared again (the API server gives every change of an object, its
     * metadata and managed fields included, a new resourceVersion).
     */
    private final Map<ObjectRef, Verified> verified = new ConcurrentHashMap<>();

    ObjectApplier(Cluster cluster, Set<String> ignoredManagers) {
        this.cluster = cluster;
        this.ignoredManagers = Set.copyOf(ignoredManagers);
    }

    /**
     * @param environment the environment applying it (an object labelled for another one is a failure)
     * @param ref         the object
     * @param desired     its desired state, labelled and hashed: asked for only when the live object is not known to
     *                    hold it already
     * @param hash        the applied-hash of the desired state: equal to the live one when Git did not change it
     * @param live        the live object as listed, or null when it is to be read (or does not exist)
     * @param known       whether {@code live} was listed (true) or must be read (false)
     */
    ChangeSetEntry apply(String environment, ObjectRef ref, Supplier<ObjectNode> desired, String hash, ObjectNode live,
                         boolean known) throws Failed {
        if (!known) {
            live = read(ref);
        }
        String owner = live == null ? null : live.path("metadata").path("labels").path(Manifests.ENVIRONMENT).asText(null);
        if (owner != null && !owner.equals(environment)) {
            throw new Failed("belongs to environment " + owner + " (label " + Manifests.ENVIRONMENT + ")");
        }
        Verified found = verified.remove(ref);
        if (found != null && found.same(verifiedAt(live, hash))) {
            verified.put(ref, found);
            return new ChangeSetEntry(ref.id(), Action.UNCHANGED, false);
        }
        ObjectNode body = desired.get();
        boolean removed = false;
        String added = "";
        for (int attempt = 0; ; attempt++) {
            boolean retry = attempt == 0;
            if (live == null) {
                if (write(ref, () -> applied(cluster.apply(ref, body), body), retry) == null) {
                    live = read(ref);
                    continue;
                }
                log.debug("{}: created", ref.id());
                return new ChangeSetEntry(ref.id(), Action.CREATED, false);
            }
            ForeignFields.Plan first = plan(ref, live, body);
            ForeignFields.Plan plan = first;
            if (!first.removals().isEmpty()) {
                String patch = first.jsonPatch(live.path("metadata").path("resourceVersion").asText());
                ObjectNode patched = write(ref, () -> cluster.jsonPatch(ref, patch), retry);
                if (patched == null || patched.isEmpty()) {
                    live = patched == null ? read(ref) : null;
                    continue;
                }
                log.info("{}: drift undone: {}", ref.id(), first.added());
                live = patched;
                removed = true;
                added = first.added();
                plan = plan(ref, live, body);
            }
            if (Manifests.containedIn(plan.desired(), plan.live())) {
                if (removed) {
                    return new ChangeSetEntry(ref.id(), Action.CONFIGURED, true, added);
                }
                remember(ref, verifiedAt(live, hash));
                return new ChangeSetEntry(ref.id(), Action.UNCHANGED, false);
            }
            ObjectNode toApply = plan.desired();
            if (write(ref, () -> applied(cluster.apply(ref, toApply), toApply), retry) == null) {
                live = read(ref);
                continue;
            }
            // Git did not change the object (same hash as last applied) but the live object differs: drift.
            boolean drift = removed || hash.equals(Manifests.appliedHash(live));
            List<String> detail = new ArrayList<>();
            if (!added.isEmpty()) {
                detail.add(added);
            }
            if (drift) {
                detail.addAll(first.changed());
                log.info("{}: drift undone{}", ref.id(), detail.isEmpty() ? "" : ": " + String.join("; ", detail));
            }
            return new ChangeSetEntry(ref.id(), Action.CONFIGURED, drift, String.join("; ", detail));
        }
    }

    /** The live object's version with the desired hash; null when the object has no version to tell changes by. */
    private static Verified verifiedAt(ObjectNode live, String hash) {
        String version = live == null ? "" : live.path("metadata").path("resourceVersion").asText("");
        return version.isEmpty() || hash == null ? null : new Verified(version, hash);
    }

    private void remember(ObjectRef ref, Verified at) {
        if (at == null) {
            return;
        }
        if (verified.size() >= MAX_VERIFIED) {
            verified.clear();
        }
        verified.put(ref, at);
    }

    private ForeignFields.Plan plan(ObjectRef ref, ObjectNode live, ObjectNode body) throws Failed {
        try {
            return ForeignFields.plan(live, body, ignoredManagers);
        } catch (IllegalArgumentException e) {
            // Fail closed: what other managers own cannot be told, so nothing is written.
            throw new Failed("unreadable managedFields: " + e.getMessage());
        }
    }

    /** What a write answers when the object it wrote is gone by the time it is read. */
    private static final ObjectNode EMPTY = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();

    /** The stored object an apply answered, or what was applied when it answered none (only its success counts). */
    private static ObjectNode applied(ObjectNode stored, ObjectNode body) {
        return stored == null ? body : stored;
    }

    private interface Write {
        ObjectNode run();
    }

    /** Runs a write; null when it met a conflict that is worth one retry, after the object is read again. */
    private ObjectNode write(ObjectRef ref, Write write, boolean retry) throws Failed {
        try {
            ObjectNode result = write.run();
            return result == null ? Objects.requireNonNullElse(read(ref), EMPTY) : result;
        } catch (RuntimeException e) {
            int code = Cluster.code(e);
            if (retry && (code == 409 || code == 422)) {
                log.debug("{}: conflict, retrying once: {}", ref.id(), Cluster.describe(ref, e));
                return null;
            }
            throw new Failed("apply failed: " + Cluster.describe(ref, e));
        }
    }

    private ObjectNode read(ObjectRef ref) throws Failed {
        try {
            return cluster.get(ref);
        } catch (RuntimeException e) {
            throw new Failed("cannot read: " + Cluster.describe(ref, e));
        }
    }
}
