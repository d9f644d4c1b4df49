package dev.drawbridge.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.drawbridge.image.Severity;
import org.junit.jupiter.api.Test;

class ReportRecognizerTest {
    private static final Instant ANNOTATED = Instant.parse("2026-11-01T00:00:00Z");

    @Test
    void recognisesARealTrivyReportWithItsCreatedAt() {
        ScanReport report = recognise(TestResources.read("trivy/debian-buster.json")).orElseThrow();

        assertThat(report.source()).isEqualTo("trivy");
        assertThat(report.status()).isEqualTo("Success");
        assertThat(report.finishedAt()).isEqualTo(Instant.parse("2021-08-25T12:20:30.000000005Z"));
        assertThat(report.findings()).filteredOn(f -> f.severity() == Severity.CRITICAL).singleElement()
                .matches(Finding::hasFix);
        assertThat(report.findings()).filteredOn(f -> f.severity() == Severity.LOW).singleElement()
                .matches(f -> !f.hasFix());
    }

    @Test
    void recognisesABareInTotoV1StatementWithTheCosignVulnPredicate() {
        String statement = statement("https://in-toto.io/Statement/v1", "2026-11-28T07:30:00Z",
                TestResources.read("trivy/alpine-310.json"));

        ScanReport report = recognise(statement).orElseThrow();

        assertThat(report.source()).isEqualTo("cosign-vuln");
        assertThat(report.finishedAt()).isEqualTo(Instant.parse("2026-11-28T07:30:00Z"));
        assertThat(report.findings()).hasSize(4);
    }

    @Test
    void recognisesACosignVulnStatementInADsseEnvelope() {
        String statement = statement("https://in-toto.io/Statement/v0.1", "2026-11-28T07:30:00Z",
                TestResources.read("trivy/debian-buster.json"));
        String envelope = "{\"payloadType\":\"application/vnd.in-toto+json\",\"payload\":\""
                + Base64.getEncoder().encodeToString(statement.getBytes(StandardCharsets.UTF_8)) + "\",\"signatures\":[]}";

        assertThat(recognise(envelope)).hasValueSatisfying(r -> assertThat(r.findings()).hasSize(2));
    }

    @Test
    void ignoresWhatIsNoScanReport() {
        assertThat(recognise("not json")).isEmpty();
        assertThat(recognise("{\"bomFormat\":\"CycloneDX\"}")).isEmpty();
        assertThat(recognise("{\"SchemaVersion\":1,\"Results\":[]}")).isEmpty();
        assertThat(recognise("{\"payloadType\":\"text/plain\",\"payload\":\"e30=\"}")).isEmpty();
        assertThat(recognise("{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicateType\":"
                + "\"https://slsa.dev/provenance/v1\",\"predicate\":{}}")).isEmpty();
        assertThat(recognise(statement("https://in-toto.io/Statement/v1", "2026-11-28T07:30:00Z",
                "{\"matches\":[]}"))).as("a scanner result that is not a Trivy report is no evidence").isEmpty();
    }

    @Test
    void takesTheAnnotationTimeWhenTheReportHasNone() {
        assertThat(recognise("{\"SchemaVersion\":2,\"Results\":[]}"))
                .hasValueSatisfying(r -> assertThat(r.finishedAt()).isEqualTo(ANNOTATED));
    }

    @Test
    void combinesPlatformReportsWithOldestTimeAndWorstStatus() {
        Finding a = new Finding("CVE-1", "a", "1", "2", Severity.HIGH);
        Finding b = new Finding("CVE-2", "b", "1", null, Severity.LOW);
        ScanReport amd = new ScanReport("harbor", "Success", Instant.parse("2026-11-02T00:00:00Z"),
                Map.of(Severity.HIGH, 1), List.of(a));
        ScanReport arm = new ScanReport("harbor", "Running", Instant.parse("2026-11-01T00:00:00Z"),
                Map.of(Severity.LOW, 1), List.of(a, b));

        ScanReport combined = ScanReports.combine(List.of(amd, arm));

        assertThat(combined.status()).isEqualTo("Running");
        assertThat(combined.finishedAt()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(combined.findings()).containsExactly(a, b);
        assertThat(combined.summary()).containsEntry(Severity.HIGH, 1).containsEntry(Severity.LOW, 1);
    }

    private static java.util.Optional<ScanReport> recognise(String content) {
        return ReportRecognizer.recognise(content.getBytes(StandardCharsets.UTF_8), ANNOTATED);
    }

    private static String statement(String type, String finished, String result) {
        return "{\"_type\":\"" + type + "\",\"predicateType\":\"https://cosign.sigstore.dev/attestation/vuln/v1\","
                + "\"subject\":[],\"predicate\":{\"scanner\":{\"uri\":\"pkg:github/aquasecurity/trivy\",\"result\":"
                + result + "},\"metadata\":{\"scanStartedOn\":\"2026-11-28T07:29:00Z\",\"scanFinishedOn\":\""
                + finished + "\"}}}";
    }
}
