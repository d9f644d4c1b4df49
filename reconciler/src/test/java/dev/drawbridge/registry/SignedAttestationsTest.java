package dev.drawbridge.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import dev.drawbridge.image.Digest;
import dev.drawbridge.image.ImageReference;
import dev.drawbridge.registry.testing.Attestations;
import dev.drawbridge.registry.testing.LocalOciRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code signed-by} against a real registry (docker-registry): attestations pushed as referrers and at cosign's
 * {@code .att} tag count only when signed by a trusted key over a statement about the image's digest.
 */
class SignedAttestationsTest {
    private static final Instant CREATED = Instant.parse("2026-10-01T08:00:00Z");
    private static final Instant FINISHED = Instant.parse("2026-11-28T07:30:00Z");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T10:00:00Z"), ZoneOffset.UTC);
    private static final KeyPair SCANNER = Attestations.ecP256();

    private static LocalOciRegistry registry;
    private RegistryLookup signed;
    private RegistryLookup unsigned;

    @BeforeAll
    static void startRegistry() {
        registry = LocalOciRegistry.start();
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @BeforeEach
    void newLookups() {
        TrustedKey key = new TrustedKey("scanner.pub", "ECDSA P-256", SCANNER.getPublic());
        signed = new RegistryLookup(List.of(registry.settings().withSignedBy(List.of(key))), CLOCK, Duration.ZERO);
        unsigned = new RegistryLookup(List.of(registry.settings()), CLOCK, Duration.ZERO);
    }

    @AfterEach
    void closeLookups() {
        signed.close();
        unsigned.close();
    }

    private static byte[] vuln(String repository, Digest subject, KeyPair... signers) {
        return Attestations.signedEnvelope(Attestations.vulnStatement(registry.host() + "/" + repository, subject, FINISHED,
                TestResources.read("trivy/alpine-310.json")), signers);
    }

    private ImageFacts signedFacts(String repository) throws RegistryException {
        return signed.inspect(ImageReference.parse(registry.reference(repository, "1")), LookupOptions.ALL_PLATFORMS);
    }

    @Test
    void countsAVulnAttestationSignedInCosignsFormatAtTheAttTag() throws Exception {
        Digest digest = registry.pushImage("signed/att", "1", CREATED);
        registry.pushAttestationTag("signed/att", digest, Attestations.VULN_PREDICATE, vuln("signed/att", digest, SCANNER));

        ScanReport scan = signedFacts("signed/att").scan().orElseThrow();

        assertThat(scan.source()).isEqualTo("cosign-vuln");
        assertThat(scan.finishedAt()).isEqualTo(FINISHED);
        assertThat(scan.findings()).hasSize(4);
    }

    @Test
    void countsASignedReferrerAmongUnsignedOnes() throws Exception {
        Digest digest = registry.pushImage("signed/referrer", "1", CREATED);
        registry.attachTrivyReport("signed/referrer", digest, TestResources.read("trivy/debian-buster.json"));
        registry.attachEnvelope("signed/referrer", digest, vuln("signed/referrer", digest, SCANNER));

        ImageFacts facts = signedFacts("signed/referrer");

        assertThat(facts.scan()).hasValueSatisfying(s -> assertThat(s.source()).isEqualTo("cosign-vuln"));
    }

    @Test
    void aBareTrivyReportIsNoReportWhereKeysAreNamedButIsReadWithout() throws Exception {
        Digest digest = registry.pushImage("signed/bare", "1", CREATED);
        registry.attachTrivyReport("signed/bare", digest, TestResources.read("trivy/debian-buster.json"));

        ImageFacts facts = signedFacts("signed/bare");

        assertThat(facts.scan()).isEmpty();
        assertThat(facts.untrusted().reports()).containsExactly("a bare Trivy JSON report, not a signed DSSE envelope");
        assertThat(unsigned.inspect(ImageReference.parse(registry.reference("signed/bare", "1")),
                LookupOptions.ALL_PLATFORMS).scan()).isPresent();
    }

    @Test
    void refusesAnotherKeyAnotherDigestNoSubjectAndATruncatedEnvelope() throws Exception {
        Digest digest = registry.pushImage("signed/refused", "1", CREATED);
        Digest other = registry.pushImage("signed/refused", "other", CREATED);
        byte[] good = vuln("signed/refused", digest, SCANNER);
        registry.attachEnvelope("signed/refused", digest, vuln("signed/refused", digest, Attestations.ecP256()));
        registry.attachEnvelope("signed/refused", digest, vuln("signed/refused", other, SCANNER));
        registry.attachEnvelope("signed/refused", digest, vuln("signed/refused", null, SCANNER));
        registry.attachEnvelope("signed/refused", digest, Arrays.copyOf(good, good.length - 40));
        registry.attachCosignVulnAttestation("signed/refused", digest, FINISHED, TestResources.read("trivy/alpine-310.json"));

        ImageFacts facts = signedFacts("signed/refused");

        assertThat(facts.scan()).isEmpty();
        assertThat(facts.untrusted().reports()).containsExactlyInAnyOrder(
                "a DSSE envelope whose signatures verify with none of the trusted keys",
                "a signed statement about another image (its subject does not name " + digest.shortForm() + ")",
                "a signed statement that names no subject",
                "an attachment that is not JSON (a truncated or damaged envelope?), not a signed DSSE envelope");
    }

    @Test
    void aSignedVulnAttestationWhoseResultIsNoTrivyReportIsNoReportAndSaysSo() throws Exception {
        Digest digest = registry.pushImage("signed/grype", "1", CREATED);
        var statement = Attestations.vulnStatement("signed/grype", digest, FINISHED, "{\"matches\":[]}");
        registry.attachEnvelope("signed/grype", digest, Attestations.signedEnvelope(statement, SCANNER));

        ImageFacts facts = signedFacts("signed/grype");

        assertThat(facts.scan()).isEmpty();
        assertThat(facts.untrusted().reports())
                .containsExactly("a signed vuln attestation whose predicate.scanner.result is not a Trivy report");
    }

    @Test
    void anEnvelopeWithTenThousandSignaturesIsRefusedByItsCountWithoutCheckingThem() throws Exception {
        Digest digest = registry.pushImage("signed/many", "1", CREATED);
        byte[] body = Attestations.bytes(Attestations.vulnStatement("x", digest, FINISHED, TestResources.read("trivy/alpine-310.json")));
        byte[] overOtherBytes = Attestations.sign(SCANNER.getPrivate(), "other bytes".getBytes(StandardCharsets.UTF_8));
        List<byte[]> signatures = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            signatures.add(overOtherBytes);
        }
        registry.attachEnvelope("signed/many", digest, Attestations.envelope(Attestations.IN_TOTO, body, signatures));

        ImageFacts facts = signedFacts("signed/many");

        assertThat(facts.scan()).isEmpty();
        assertThat(facts.untrusted().reports()).singleElement().asString().contains("10000 signatures");
    }

    @Test
    void anAttachmentLargerThanTheReportLimitIsNotReadAndCountsAsNoReport() throws Exception {
        Digest digest = registry.pushImage("signed/huge", "1", CREATED);
        byte[] huge = new byte[(int) OciDistributionClient.REPORT_MAX_BYTES + 1];
        Arrays.fill(huge, (byte) 'A');
        registry.attach("signed/huge", digest, LocalOciRegistry.DSSE, LocalOciRegistry.DSSE, huge, java.util.Map.of());

        ImageFacts facts = signedFacts("signed/huge");

        assertThat(facts.scan()).isEmpty();
        assertThat(facts.untrusted().reports()).containsExactly("an attachment larger than the 64 MiB limit, not read");
    }

    @Test
    void anSbomCountsOnlyWhenSignedWhereKeysAreNamed() throws Exception {
        LookupOptions sbom = new LookupOptions(Set.of(), true);
        Digest unsignedSbom = registry.pushImage("signed/sbom", "1", CREATED);
        registry.attachSbom("signed/sbom", unsignedSbom);
        assertThat(signed.inspect(ImageReference.parse(registry.reference("signed/sbom", "1")), sbom).sbomAttached()).isFalse();
        assertThat(unsigned.inspect(ImageReference.parse(registry.reference("signed/sbom", "1")), sbom).sbomAttached()).isTrue();

        Digest signedSbom = registry.pushImage("signed/sbom", "2", CREATED);
        registry.pushAttestationTag("signed/sbom", signedSbom, "https://cyclonedx.org/bom",
                Attestations.signedEnvelope(Attestations.sbomStatement("signed/sbom", signedSbom), SCANNER));
        ImageFacts facts = signed.inspect(ImageReference.parse(registry.reference("signed/sbom", "2")), sbom);
        assertThat(facts.sbomAttached()).isTrue();
        assertThat(facts.scan()).isEmpty();
    }
}
