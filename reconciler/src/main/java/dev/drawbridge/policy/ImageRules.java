package dev.drawbridge.policy;

import java.time.Duration;

/**
 * @param requireDigest the manifest itself must pin a digest
 * @param maxAge        maximum age from the image config's {@code created}; null when not limited
 */
public record ImageRules(boolean requireDigest, Duration maxAge) {
}
