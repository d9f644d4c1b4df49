package dev.drawbridge.policy;

import java.time.Duration;
import java.util.List;

/**
 * The gate policy of one environment (a {@code GatePolicy} file, docs/policies.md), validated.
 *
 * @param name                  metadata.name
 * @param source                where it was read from, e.g. {@code policies/production.yaml}
 * @param mode                  enforce or warn
 * @param allowedRegistries     registry globs; empty means no registry is allowed
 * @param image                 image rules
 * @param scan                  scan rules
 * @param sbomRequired          an SBOM must be attached
 * @param requireNetworkPolicy  every namespace deployed to must get a NetworkPolicy from Git
 * @param exceptions            vulnerability exceptions, each with owner, reason and expiry
 * @param exceptionsWarnBefore  how long before an exception expires its owner is told (once); null: not told
 */
public record GatePolicy(String name, String source, Mode mode, List<RegistryGlob> allowedRegistries,
                         ImageRules image, ScanRules scan, boolean sbomRequired, boolean requireNetworkPolicy,
                         List<VulnerabilityException> exceptions, Duration exceptionsWarnBefore) {

    public enum Mode { ENFORCE, WARN }

    public GatePolicy {
        allowedRegistries = List.copyOf(allowedRegistries);
        exceptions = List.copyOf(exceptions);
        if (exceptionsWarnBefore != null && (exceptionsWarnBefore.isNegative() || exceptionsWarnBefore.isZero())) {
            throw new IllegalArgumentException("Invalid exceptionsWarnBefore (must be positive): " + exceptionsWarnBefore);
        }
    }

    /** A policy that warns nobody before its exceptions expire. */
    public GatePolicy(String name, String source, Mode mode, List<RegistryGlob> allowedRegistries, ImageRules image,
                      ScanRules scan, boolean sbomRequired, boolean requireNetworkPolicy,
                      List<VulnerabilityException> exceptions) {
        this(name, source, mode, allowedRegistries, image, scan, sbomRequired, requireNetworkPolicy, exceptions, null);
    }
}
