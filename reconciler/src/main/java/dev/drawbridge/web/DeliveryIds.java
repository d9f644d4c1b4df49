package dev.drawbridge.web;

import java.util.LinkedHashMap;
import java.util.Map;

/** The ids of the most recent webhook deliveries, so that a redelivery does no work twice. Bounded: oldest go first. */
final class DeliveryIds {

    private final Map<String, Boolean> seen;

    DeliveryIds(int capacity) {
        this.seen = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Remembers {@code id}; false when it was seen before (a redelivery). A null id is always new. */
    synchronized boolean firstTime(String id) {
        return id == null || seen.put(id, Boolean.TRUE) == null;
    }

    /** Forgets {@code id}, so that a redelivery is handled (the first attempt could not be). */
    synchronized void forget(String id) {
        if (id != null) {
            seen.remove(id);
        }
    }
}
