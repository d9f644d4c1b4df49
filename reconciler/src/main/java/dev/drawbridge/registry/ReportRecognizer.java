package dev.drawbridge.registry;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.image.Severity;

/**
 * Recognises a scan report by its content, whatever the artifact says it is: a Trivy JSON report
 * ({@code SchemaVersion: 2}), or a cosign vulnerability attestation (an in-toto statement with predicate
 * type {@code https://cosign.sigstore.dev/attestation/vuln/v1}, bare or in a DSSE envelope) whose
 * {@code predicate.scanner.result} is a Trivy report. Anything else is not a report (empty).
 * DSSE signatures are not verified here: where a registry names trusted keys, {@link AttestationVerifier}
 * verifies the envelope first and only the statement it vouches for is read ({@link #fromStatement}).
 */
final class ReportRecognizer {
    static final String TRIVY = "trivy";
    static final String COSIGN_VULN = "cosign-vuln";
    static final String COSIGN_VULN_PREDICATE = "https://cosign.sigstore.dev/attestation/vuln/v1";
    private static final String IN_TOTO_PAYLOAD = "application/vnd.in-toto+json";

    private ReportRecognizer() {
    }

    /**
     * @param content          a layer's bytes
     * @param annotatedCreated the artifact's {@code org.opencontainers.image.created}, used when the report has
     *                         no time of its own; may be null
     */
    static Optional<ScanReport> recognise(byte[] content, Instant annotatedCreated) {
        JsonNode json = Json.tryParse(content);
        if (json == null) {
            return Optional.empty();
        }
        if (json.has("payloadType") && json.has("payload")) {
            if (!IN_TOTO_PAYLOAD.equals(Json.text(json, "payloadType"))) {
                return Optional.empty();
            }
            byte[] payload;
            try {
                payload = Base64.getDecoder().decode(Json.text(json, "payload"));
            } catch (IllegalArgumentException | NullPointerException e) {
                return Optional.empty();
            }
            json = Json.tryParse(payload);
            if (json == null) {
                return Optional.empty();
            }
        }
        if (isTrivy(json)) {
            Instant created = time(Json.text(json, "CreatedAt"));
            return Optional.of(trivy(TRIVY, json, created != null ? created : annotatedCreated));
        }
        return fromStatement(json, annotatedCreated);
    }

    /** The scan report of an in-toto statement with cosign's vuln predicate; empty for any other statement. */
    static Optional<ScanReport> fromStatement(JsonNode json, Instant annotatedCreated) {
        String type = Json.text(json, "_type");
        if (type != null && type.startsWith("https://in-toto.io/Statement/")
                && COSIGN_VULN_PREDICATE.equals(Json.text(json, "predicateType"))) {
            JsonNode predicate = json.path("predicate");
            JsonNode result = predicate.path("scanner").path("result");
            if (!isTrivy(result)) {
                return Optional.empty(); // a scanner result we cannot read is no evidence of a clean image
            }
            Instant finished = time(Json.text(predicate.path("metadata"), "scanFinishedOn"));
            if (finished == null) {
                finished = time(Json.text(result, "CreatedAt"));
            }
            return Optional.of(trivy(COSIGN_VULN, result, finished != null ? finished : annotatedCreated));
        }
        return Optional.empty();
    }

    /**
     * Whether a statement's predicate is an SBOM, as {@code cosign attest --type cyclonedx|spdx|spdxjson} and
     * in-toto v1 write it ({@code https://cyclonedx.org/bom}, {@code https://spdx.dev/Document}, versioned or not).
     */
    static boolean isSbomStatement(JsonNode statement) {
        String predicate = Json.text(statement, "predicateType");
        return predicate != null && (predicate.startsWith("https://cyclonedx.org/bom")
                || predicate.startsWith("https://spdx.dev/Document"));
    }

    static boolean isTrivy(JsonNode json) {
        return json != null && json.isObject() && json.path("SchemaVersion").asInt() == 2 && json.has("Results")
                && json.get("Results").isArray();
    }

    private static ScanReport trivy(String source, JsonNode report, Instant finishedAt) {
        List<Finding> findings = new ArrayList<>();
        for (JsonNode result : report.path("Results")) {
            for (JsonNode v : result.path("Vulnerabilities")) {
                findings.add(new Finding(Json.text(v, "VulnerabilityID"), Json.text(v, "PkgName"),
                        Json.text(v, "InstalledVersion"), Json.text(v, "FixedVersion"),
                        Severity.fromScanner(Json.text(v, "Severity"))));
            }
        }
        return new ScanReport(source, ScanReport.SUCCESS, finishedAt, summarise(findings), findings);
    }

    static Map<Severity, Integer> summarise(List<Finding> findings) {
        Map<Severity, Integer> summary = zeroSummary();
        findings.forEach(f -> summary.merge(f.severity(), 1, Integer::sum));
        return summary;
    }

    static Map<Severity, Integer> zeroSummary() {
        Map<Severity, Integer> summary = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            summary.put(s, 0);
        }
        return summary;
    }

    private static Instant time(String value) {
        try {
            return Json.time(value);
        } catch (DateTimeException e) {
            return null;
        }
    }
}
