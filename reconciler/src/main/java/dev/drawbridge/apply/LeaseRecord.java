package dev.drawbridge.apply;

import java.time.Instant;
import java.util.Map;

/**
 * One {@code coordination.k8s.io/v1} Lease as the coordination of replicas reads and writes it.
 *
 * @param name            the Lease's name, e.g. {@code drawbridge-production}
 * @param holder          {@code spec.holderIdentity}; null or empty when released
 * @param durationSeconds {@code spec.leaseDurationSeconds}
 * @param acquireTime     {@code spec.acquireTime}
 * @param renewTime       {@code spec.renewTime}
 * @param transitions     {@code spec.leaseTransitions}: how often the holder changed
 * @param annotations     {@code metadata.annotations} (a trigger passed on to the holder is one)
 * @param resourceVersion what a replace must match (optimistic concurrency); null for a new Lease
 */
public record LeaseRecord(String name, String holder, int durationSeconds, Instant acquireTime, Instant renewTime,
                          int transitions, Map<String, String> annotations, String resourceVersion) {

    public LeaseRecord {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public boolean heldBy(String identity) {
        return identity.equals(holder);
    }

    public boolean released() {
        return holder == null || holder.isEmpty();
    }

    public LeaseRecord withHolder(String newHolder, int seconds, Instant now) {
        boolean changed = !java.util.Objects.equals(holder, newHolder);
        return new LeaseRecord(name, newHolder, seconds, changed ? now : acquireTime, now,
                changed ? transitions + 1 : transitions, annotations, resourceVersion);
    }

    public LeaseRecord withAnnotation(String key, String value) {
        Map<String, String> next = new java.util.HashMap<>(annotations);
        next.put(key, value);
        return new LeaseRecord(name, holder, durationSeconds, acquireTime, renewTime, transitions, next, resourceVersion);
    }
}
