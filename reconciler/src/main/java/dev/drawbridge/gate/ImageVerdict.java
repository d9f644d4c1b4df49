package dev.drawbridge.gate;

import dev.drawbridge.image.Digest;
import dev.drawbridge.image.ImageReference;

import java.util.List;

/**
 * The gate's verdict on one image reference as written in the manifests.
 *
 * @param reference  the reference as written in the rendered manifests
 * @param image      its parsed, normalised form
 * @param digest     the digest that was verified (null when it could not be resolved)
 * @param workloads  ids of the workloads using it, e.g. {@code apps/v1/Deployment/shop/api}
 * @param verdict    PASS, WARN, BLOCK or ERROR
 * @param violations the rules it breaks (for ERROR: why it could not be verified)
 * @param accepted   findings that an exception accepts, e.g. {@code CVE-2026-5678 accepted by EXC-42 (team-shop, until 2027-01-31)}
 */
public record ImageVerdict(String reference, ImageReference image, Digest digest, List<String> workloads,
                           Verdict verdict, List<Violation> violations, List<String> accepted) {
    public ImageVerdict {
        workloads = List.copyOf(workloads);
        violations = List.copyOf(violations);
        accepted = List.copyOf(accepted);
    }
}
