package dev.drawbridge.registry;

import dev.drawbridge.image.Severity;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A vulnerability scan result as found in the registry.
 *
 * @param source     where it came from: {@code harbor}, {@code trivy} (Trivy JSON report attached by
 *                   OCI referrers) or {@code cosign-vuln} (cosign vulnerability attestation)
 * @param status     the scanner's status as written: only {@code Success} counts as scanned
 *                   ({@code Pending}, {@code Running}, {@code Error}, ... are reported as such)
 * @param finishedAt when the scan completed, null when unknown
 * @param summary    counts per severity
 * @param findings   the findings with ids and fixed versions; null when only the summary is known
 */
public record ScanReport(String source, String status, Instant finishedAt, Map<Severity, Integer> summary,
                         List<Finding> findings) {
    public static final String SUCCESS = "Success";

    public ScanReport {
        summary = Map.copyOf(summary);
        findings = findings == null ? null : List.copyOf(findings);
    }

    public boolean succeeded() {
        return SUCCESS.equalsIgnoreCase(status);
    }
}
