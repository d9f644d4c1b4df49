package dev.drawbridge.gate;

import dev.drawbridge.image.ImageReference;
import dev.drawbridge.image.Severity;
import dev.drawbridge.policy.GatePolicy;
import dev.drawbridge.policy.RegistryGlob;
import dev.drawbridge.policy.VulnerabilityException;
import dev.drawbridge.registry.Finding;
import dev.drawbridge.registry.ImageFacts;
import dev.drawbridge.registry.PlatformImage;
import dev.drawbridge.registry.ScanReport;
import dev.drawbridge.yaml.Durations;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The per-image rules of a GatePolicy, evaluated against what the registry said. */
final class ImageChecks {

    record Evaluation(List<Violation> violations, List<String> accepted) {
    }

    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private final Clock clock;

    ImageChecks(Clock clock) {
        this.clock = clock;
    }

    boolean registryAllowed(ImageReference image, GatePolicy policy) {
        return policy.allowedRegistries().stream().anyMatch(g -> g.matches(image));
    }

    /** Rules that need no registry answer (used when the image is not looked up at all). */
    List<Violation> withoutFacts(ImageReference image, GatePolicy policy) {
        List<Violation> violations = new ArrayList<>();
        registry(image, policy, violations);
        digestPinned(image, null, policy, violations);
        return violations;
    }

    Evaluation evaluate(ImageReference image, ImageFacts facts, GatePolicy policy) {
        List<Violation> violations = new ArrayList<>();
        List<String> accepted = new ArrayList<>();
        registry(image, policy, violations);
        digestPinned(image, facts, policy, violations);
        age(facts, policy, violations);
        Optional<ScanReport> scan = facts.scan();
        boolean scanned = scanPresent(facts, scan, policy, violations);
        if (scanned) {
            fresh(scan.get(), policy, violations);
            severities(image, scan.get(), policy, violations, accepted);
        }
        if (policy.sbomRequired() && !facts.sbomAttached()) {
            List<String> untrusted = facts.untrusted().sboms();
            if (untrusted.isEmpty()) {
                violations.add(Violation.of(Rules.SBOM_PRESENT, "no SBOM (CycloneDX or SPDX) is attached to " + facts.digest().shortForm(),
                        "generate an SBOM (e.g. trivy image --format cyclonedx) and attach it to the image digest (cosign attach sbom / oras attach)"));
            } else {
                violations.add(Violation.of(Rules.SBOM_PRESENT, "no trusted SBOM for " + facts.digest().shortForm()
                                + ": the SBOM is not signed by a trusted key (" + reasons(untrusted) + ")",
                        "attest the SBOM with a key the registry's signed-by trusts: cosign attest --type cyclonedx --key KEY --predicate sbom.json IMAGE@DIGEST"));
            }
        }
        return new Evaluation(violations, accepted);
    }

    private void registry(ImageReference image, GatePolicy policy, List<Violation> violations) {
        if (!registryAllowed(image, policy)) {
            String allowed = policy.allowedRegistries().isEmpty() ? "none"
                    : policy.allowedRegistries().stream().map(RegistryGlob::pattern).collect(Collectors.joining(", "));
            violations.add(Violation.of(Rules.REGISTRY_ALLOWED,
                    image.name() + " is not in an allowed registry (allowed: " + allowed + ")",
                    "copy the image into an allowed registry, have it scanned there, and reference it from there"));
        }
    }

    private void digestPinned(ImageReference image, ImageFacts facts, GatePolicy policy, List<Violation> violations) {
        if (policy.image().requireDigest() && image.digest() == null) {
            String pin = facts == null ? image.name() + "@sha256:<digest>" : image.pinned(facts.digest());
            violations.add(Violation.of(Rules.IMAGE_DIGEST, "the manifest references tag " + image.tag() + ", not a digest",
                    "pin the image by digest: " + pin));
        }
    }

    private void age(ImageFacts facts, GatePolicy policy, List<Violation> violations) {
        Duration maxAge = policy.image().maxAge();
        if (maxAge == null) {
            return;
        }
        Instant oldestAllowed = clock.instant().minus(maxAge);
        for (PlatformImage platform : facts.platforms()) {
            String which = platform.platform() == null ? "image" : "image for " + platform.platform();
            if (platform.created() == null) {
                violations.add(Violation.of(Rules.IMAGE_AGE, which + " has no creation time in its config, its age cannot be checked",
                        "rebuild the image with a build tool that records the creation time"));
            } else if (platform.created().isBefore(oldestAllowed)) {
                long days = Duration.between(platform.created(), clock.instant()).toDays();
                violations.add(Violation.of(Rules.IMAGE_AGE, which + " was built on " + DAY.format(platform.created())
                                + " (" + days + " days ago), older than the allowed " + Durations.format(maxAge),
                        "rebuild the image from an up-to-date base image and deploy the new build"));
            }
        }
    }

    private boolean scanPresent(ImageFacts facts, Optional<ScanReport> scan, GatePolicy policy, List<Violation> violations) {
        if (scan.isEmpty()) {
            if (policy.scan().required()) {
                List<String> untrusted = facts.untrusted().reports();
                if (untrusted.isEmpty()) {
                    violations.add(Violation.of(Rules.SCAN_PRESENT, "no scan result for " + facts.digest().shortForm(),
                            "scan the image in the registry (Harbor: Scan; OCI: attach a Trivy report or a cosign vuln attestation)"));
                } else {
                    violations.add(Violation.of(Rules.SCAN_PRESENT, "no trusted scan result for " + facts.digest().shortForm()
                                    + ": the report is not signed by a trusted key (" + reasons(untrusted) + ")",
                            "attest the scan with a key the registry's signed-by trusts: cosign attest --type vuln --key KEY --predicate trivy.json IMAGE@DIGEST"));
                }
            }
            return false;
        }
        if (!scan.get().succeeded()) {
            if (policy.scan().required()) {
                violations.add(Violation.of(Rules.SCAN_PRESENT, "scan of " + facts.digest().shortForm() + " has not succeeded (status "
                        + scan.get().status() + ")", "wait for the scan to finish or re-run it, then retry"));
            }
            return false;
        }
        return true;
    }

    /** At most three reasons, then how many more: one message stays one line a person reads. */
    private static String reasons(List<String> reasons) {
        String shown = String.join("; ", reasons.subList(0, Math.min(3, reasons.size())));
        return reasons.size() > 3 ? shown + "; and " + (reasons.size() - 3) + " more" : shown;
    }

    private void fresh(ScanReport scan, GatePolicy policy, List<Violation> violations) {
        Duration maxAge = policy.scan().maxAge();
        if (maxAge == null) {
            return;
        }
        if (scan.finishedAt() == null) {
            violations.add(Violation.of(Rules.SCAN_FRESH, "the scan result has no completion time, its freshness cannot be checked",
                    "re-scan the image"));
        } else if (scan.finishedAt().isBefore(clock.instant().minus(maxAge))) {
            long days = Duration.between(scan.finishedAt(), clock.instant()).toDays();
            violations.add(Violation.of(Rules.SCAN_FRESH, "last scan completed on " + DAY.format(scan.finishedAt()) + " (" + days
                    + " days ago), older than the allowed " + Durations.format(maxAge), "re-scan the image"));
        }
    }

    private void severities(ImageReference image, ScanReport scan, GatePolicy policy, List<Violation> violations,
                            List<String> accepted) {
        Set<Severity> fixedBlock = policy.scan().blockSeverities();
        Set<Severity> unfixedBlock = policy.scan().blockUnfixedSeverities();
        if (scan.findings() == null) {
            // Only counts are known: fail closed on any count in a blocking severity.
            for (Map.Entry<Severity, Integer> e : scan.summary().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey()).toList()) {
                if (e.getValue() > 0 && (fixedBlock.contains(e.getKey()) || unfixedBlock.contains(e.getKey()))) {
                    violations.add(new Violation(Rules.SCAN_SEVERITY, e.getValue() + " " + e.getKey() + " finding(s) (details unavailable)",
                            "update the affected packages and rebuild the image", null, e.getKey(), null, null));
                }
            }
            return;
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        List<Finding> findings = scan.findings().stream()
                .sorted(Comparator.comparing(Finding::severity).thenComparing(f -> !f.hasFix()).thenComparing(Finding::id))
                .toList();
        for (Finding f : findings) {
            boolean blocks = f.hasFix() ? fixedBlock.contains(f.severity()) : unfixedBlock.contains(f.severity());
            if (!blocks) {
                continue;
            }
            String what = f.id() + " " + f.severity() + " in " + f.pkg()
                    + (f.installedVersion() == null ? "" : " " + f.installedVersion())
                    + (f.hasFix() ? " (fixed in " + f.fixedVersion() + ")" : " (no fix yet)");
            String fix = f.hasFix() ? "update " + f.pkg() + " to " + f.fixedVersion() + " or later and rebuild the image"
                    : "no fixed version exists yet: add an exception with an owner, a reason and an expiry, or remove " + f.pkg();
            Optional<VulnerabilityException> exception = policy.exceptions().stream()
                    .filter(x -> x.covers(f.id(), image))
                    .max(Comparator.comparing(VulnerabilityException::expires));
            if (exception.isPresent() && !exception.get().expiredOn(today)) {
                VulnerabilityException x = exception.get();
                accepted.add(f.id() + " accepted by " + x.id() + " (" + x.owner() + ", until " + x.expires() + ")");
                continue;
            }
            if (exception.isPresent()) {
                VulnerabilityException x = exception.get();
                violations.add(new Violation(Rules.EXCEPTION_EXPIRED, what + ": exception " + x.id() + " (" + x.owner()
                        + ") expired on " + x.expires(), fix + ", or renew exception " + x.id(),
                        f.id(), f.severity(), f.pkg(), f.hasFix() ? f.fixedVersion() : null));
                continue;
            }
            violations.add(new Violation(Rules.SCAN_SEVERITY, what, fix, f.id(), f.severity(), f.pkg(),
                    f.hasFix() ? f.fixedVersion() : null));
        }
    }
}
