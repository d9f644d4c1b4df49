package dev.drawbridge.reconcile;

import java.nio.file.Path;

/**
 * Options of a check.
 *
 * @param dir            a local directory to render instead of the environment's path at its branch head, or null
 * @param skipPromotion  do not evaluate {@code promotion.evidence}; the report says it was skipped
 */
public record CheckOptions(Path dir, boolean skipPromotion) {
    public static final CheckOptions DEFAULT = new CheckOptions(null, false);
}
