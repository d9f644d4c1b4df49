package dev.drawbridge.apply;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What the objects of an apply were made from, when its caller can tell: two objects made from equal origins in an
 * equal context are equal. The applier then takes what it made of such an object at its environment's last apply
 * (its applied-hash) instead of preparing it again, and builds its labelled body only when it is written
 * (docs/live-state.md). Both are compared with {@code equals}, the context once per apply.
 *
 * @param context what every object was made with besides its origin (the digests images are pinned to, the pinning)
 * @param each    the origin of each object, in the objects' order; null for one whose origin is not known
 */
public record Origins(Object context, List<?> each) {

    public Origins {
        Objects.requireNonNull(context, "context");
        each = Collections.unmodifiableList(new ArrayList<>(Objects.requireNonNull(each, "each")));
    }
}
