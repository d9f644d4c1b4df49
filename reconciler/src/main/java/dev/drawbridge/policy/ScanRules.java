package dev.drawbridge.policy;

import dev.drawbridge.image.Severity;

import java.time.Duration;
import java.util.Set;

/**
 * @param required               an image with no successful scan result is blocked
 * @param maxAge                 the scan must have completed within this window; null when not limited
 * @param blockSeverities        severities that block when the finding has a fixed version
 * @param blockUnfixedSeverities severities that block when the finding has no fix yet
 */
public record ScanRules(boolean required, Duration maxAge, Set<Severity> blockSeverities,
                        Set<Severity> blockUnfixedSeverities) {
    public ScanRules {
        blockSeverities = Set.copyOf(blockSeverities);
        blockUnfixedSeverities = Set.copyOf(blockUnfixedSeverities);
    }
}
