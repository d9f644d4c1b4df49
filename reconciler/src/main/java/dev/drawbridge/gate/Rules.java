package dev.drawbridge.gate;

/** The names of the gate's rules, as they appear in verdicts, statuses and SARIF. */
public final class Rules {
    public static final String REGISTRY_ALLOWED = "registry.allowed";
    public static final String IMAGE_DIGEST = "image.digest";
    public static final String IMAGE_AGE = "image.age";
    public static final String SCAN_PRESENT = "scan.present";
    public static final String SCAN_FRESH = "scan.fresh";
    public static final String SCAN_SEVERITY = "scan.severity";
    public static final String EXCEPTION_EXPIRED = "exception.expired";
    public static final String SBOM_PRESENT = "sbom.present";
    public static final String PROMOTION_EVIDENCE = "promotion.evidence";
    public static final String NETWORK_POLICY = "manifest.network-policy";
    /** Not a policy rule: the image could not be verified (registry unreachable, malformed answer...). */
    public static final String VERIFY_ERROR = "registry.unverified";

    private Rules() {
    }
}
