package dev.drawbridge.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.drawbridge.image.Digest;
import dev.drawbridge.image.ImageReference;
import dev.drawbridge.image.Severity;
import dev.drawbridge.registry.testing.LocalOciRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OCI scan source and the distribution client against a real registry (docker-registry). */
class OciRegistryLookupTest {
    private static final Instant CREATED = Instant.parse("2026-10-01T08:00:00Z");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T10:00:00Z"), ZoneOffset.UTC);

    private static LocalOciRegistry registry;
    private RegistryLookup lookup;

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
    void newLookup() {
        lookup = new RegistryLookup(List.of(registry.settings()), CLOCK, Duration.ofMinutes(5));
    }

    @AfterEach
    void closeLookup() {
        lookup.close();
    }

    @Test
    void resolvesTagToDigestAndReadsCreatedFromTheConfig() throws Exception {
        Digest digest = registry.pushImage("shop/api", "1.0", CREATED);

        ImageFacts facts = lookup.inspect(ref("shop/api", "1.0"), LookupOptions.ALL_PLATFORMS);

        assertThat(facts.digest()).isEqualTo(digest);
        assertThat(facts.mediaType()).isEqualTo(LocalOciRegistry.OCI_MANIFEST);
        assertThat(facts.platforms()).containsExactly(new PlatformImage(null, digest, CREATED));
        assertThat(facts.scan()).isEmpty();
        assertThat(facts.sbomAttached()).isFalse();
    }

    @Test
    void findsNoScanWhenNothingIsAttachedAndUsesTheReferrersTagFallback() throws Exception {
        registry.pushImage("plain/app", "1", CREATED);

        ImageFacts facts = lookup.inspect(ref("plain/app", "1"), LookupOptions.ALL_PLATFORMS);

        assertThat(facts.scan()).isEmpty();
        assertThat(lookup.stats().referrersTagFallbacks()).isEqualTo(1);
    }

    @Test
    void recognisesAnAttachedTrivyReportThroughTheReferrersTagSchema() throws Exception {
        Digest digest = registry.pushImage("shop/trivy", "1.0", CREATED);
        registry.attachTrivyReport("shop/trivy", digest, TestResources.read("trivy/debian-buster.json"));

        ImageFacts facts = lookup.inspect(ref("shop/trivy", "1.0"), LookupOptions.ALL_PLATFORMS);

        ScanReport scan = facts.scan().orElseThrow();
        assertThat(scan.source()).isEqualTo("trivy");
        assertThat(scan.succeeded()).isTrue();
        assertThat(scan.finishedAt()).isEqualTo(Instant.parse("2021-08-25T12:20:30.000000005Z"));
        assertThat(scan.findings()).containsExactlyInAnyOrder(
                new Finding("CVE-2019-18276", "bash", "5.0-4", null, Severity.LOW),
                new Finding("CVE-2019-18224", "libidn2-0", "2.0.5-1", "2.0.5-1+deb10u1", Severity.CRITICAL));
        assertThat(scan.summary()).containsEntry(Severity.CRITICAL, 1).containsEntry(Severity.LOW, 1)
                .containsEntry(Severity.HIGH, 0);
        assertThat(lookup.stats().referrersTagFallbacks()).as("docker-registry has no referrers API").isEqualTo(1);
    }

    @Test
    void recognisesACosignVulnerabilityAttestationWithItsScanFinishedOn() throws Exception {
        Digest digest = registry.pushImage("shop/cosign", "1.0", CREATED);
        Instant finished = Instant.parse("2026-11-28T07:30:00Z");
        registry.attachCosignVulnAttestation("shop/cosign", digest, finished, TestResources.read("trivy/alpine-310.json"));

        ScanReport scan = lookup.inspect(ref("shop/cosign", "1.0"), LookupOptions.ALL_PLATFORMS).scan().orElseThrow();

        assertThat(scan.source()).isEqualTo("cosign-vuln");
        assertThat(scan.finishedAt()).isEqualTo(finished);
        assertThat(scan.findings()).hasSize(4).allMatch(Finding::hasFix);
        assertThat(scan.summary()).containsEntry(Severity.MEDIUM, 4);
    }

    @Test
    void readsACosignAttestationPushedWithCosignsTagScheme() throws Exception {
        Digest digest = registry.pushImage("shop/cosign-tag", "1.0", CREATED);
        Instant finished = Instant.parse("2026-11-28T07:30:00Z");
        registry.pushCosignAttestationTag("shop/cosign-tag", digest, finished, TestResources.read("trivy/alpine-310.json"));

        ScanReport scan = lookup.inspect(ref("shop/cosign-tag", "1.0"), LookupOptions.ALL_PLATFORMS).scan().orElseThrow();

        assertThat(scan.source()).isEqualTo("cosign-vuln");
        assertThat(scan.finishedAt()).isEqualTo(finished);
        assertThat(scan.findings()).hasSize(4);
    }

    @Test
    void anSbomAtCosignsSbomTagCountsWhenAnSbomIsRequired() throws Exception {
        Digest digest = registry.pushImage("shop/sbom-tag", "1.0", CREATED);
        registry.pushCosignSbomTag("shop/sbom-tag", digest);

        assertThat(lookup.inspect(ref("shop/sbom-tag", "1.0"), new LookupOptions(java.util.Set.of(), true)).sbomAttached())
                .isTrue();
        assertThat(lookup.inspect(ref("shop/sbom-tag", "1.0"), LookupOptions.ALL_PLATFORMS).sbomAttached())
                .as("not looked for where no SBOM is required").isFalse();
    }

    @Test
    void takesTheNewestOfSeveralReports() throws Exception {
        Digest digest = registry.pushImage("shop/several", "1.0", CREATED);
        registry.attachTrivyReport("shop/several", digest, TestResources.read("trivy/debian-buster.json"));
        Instant finished = Instant.parse("2026-11-28T07:30:00Z");
        registry.attachCosignVulnAttestation("shop/several", digest, finished, TestResources.read("trivy/alpine-310.json"));

        ScanReport scan = lookup.inspect(ref("shop/several", "1.0"), LookupOptions.ALL_PLATFORMS).scan().orElseThrow();

        assertThat(scan.finishedAt()).isEqualTo(finished);
    }

    @Test
    void usesTheArtifactCreatedAnnotationWhenTheReportHasNoTime() throws Exception {
        Digest digest = registry.pushImage("shop/annotated", "1.0", CREATED);
        String report = TestResources.read("trivy/debian-buster.json")
                .replace("\"CreatedAt\": \"2021-08-25T12:20:30.000000005Z\",", "");
        Instant annotated = Instant.parse("2026-11-27T12:00:00Z");
        registry.attachTrivyReport("shop/annotated", digest, report, annotated);

        ScanReport scan = lookup.inspect(ref("shop/annotated", "1.0"), LookupOptions.ALL_PLATFORMS).scan().orElseThrow();

        assertThat(scan.finishedAt()).isEqualTo(annotated);
    }

    @Test
    void detectsAnAttachedSbom() throws Exception {
        Digest digest = registry.pushImage("shop/sbom", "1.0", CREATED);
        registry.attachSbom("shop/sbom", digest);

        ImageFacts facts = lookup.inspect(ref("shop/sbom", "1.0"), LookupOptions.ALL_PLATFORMS);

        assertThat(facts.sbomAttached()).isTrue();
        assertThat(facts.scan()).isEmpty();
    }

    @Test
    void readsEveryPlatformOfAMultiArchIndexAndSkipsAttestationManifests() throws Exception {
        Map<String, Instant> platforms = new LinkedHashMap<>();
        platforms.put("linux/amd64", CREATED);
        platforms.put("linux/arm64", CREATED.plusSeconds(60));
        LocalOciRegistry.PushedIndex index = registry.pushIndex("shop/multi", "2.0", platforms, true);

        ImageFacts facts = lookup.inspect(ref("shop/multi", "2.0"), LookupOptions.ALL_PLATFORMS);

        assertThat(facts.digest()).isEqualTo(index.digest());
        assertThat(facts.mediaType()).isEqualTo(LocalOciRegistry.OCI_INDEX);
        assertThat(facts.platforms()).containsExactly(
                new PlatformImage("linux/amd64", index.platforms().get("linux/amd64"), CREATED),
                new PlatformImage("linux/arm64", index.platforms().get("linux/arm64"), CREATED.plusSeconds(60)));
    }

    @Test
    void checksOnlyTheNamedPlatformsAndFailsWhenOneIsMissing() {
        LocalOciRegistry.PushedIndex index = registry.pushIndex("shop/filtered", "2.0",
                Map.of("linux/amd64", CREATED, "linux/arm/v7", CREATED));

        LookupResult arm = lookup.lookup(ref("shop/filtered", "2.0"), new LookupOptions(Set.of("linux/arm")));
        LookupResult s390 = lookup.lookup(ref("shop/filtered", "2.0"), new LookupOptions(Set.of("linux/s390x")));

        assertThat(((LookupResult.Found) arm).facts().platforms())
                .containsExactly(new PlatformImage("linux/arm/v7", index.platforms().get("linux/arm/v7"), CREATED));
        RegistryException error = ((LookupResult.Failed) s390).error();
        assertThat(error.getMessage()).startsWith("could not verify " + registry.host() + "/shop/filtered:")
                .contains("platform linux/s390x is not in the image index");
    }

    @Test
    void combinesPerPlatformReportsWhenTheIndexHasNone() throws Exception {
        LocalOciRegistry.PushedIndex index = registry.pushIndex("shop/perplatform", "3.0",
                Map.of("linux/amd64", CREATED, "linux/arm64", CREATED));
        Instant older = Instant.parse("2026-11-20T00:00:00Z");
        registry.attachTrivyReport("shop/perplatform", index.platforms().get("linux/amd64"),
                TestResources.read("trivy/debian-buster.json").replace("2021-08-25T12:20:30.000000005Z", "2026-11-25T00:00:00Z"));
        registry.attachCosignVulnAttestation("shop/perplatform", index.platforms().get("linux/arm64"), older,
                TestResources.read("trivy/alpine-310.json"));

        ScanReport scan = lookup.inspect(ref("shop/perplatform", "3.0"), LookupOptions.ALL_PLATFORMS).scan().orElseThrow();

        assertThat(scan.finishedAt()).isEqualTo(older);
        assertThat(scan.findings()).extracting(Finding::id)
                .contains("CVE-2019-18224", "CVE-2019-18276", "CVE-2019-1549", "CVE-2019-1551");
    }

    @Test
    void findsNoScanWhenOnePlatformLacksOne() throws Exception {
        LocalOciRegistry.PushedIndex index = registry.pushIndex("shop/halfscanned", "3.0",
                Map.of("linux/amd64", CREATED, "linux/arm64", CREATED));
        registry.attachTrivyReport("shop/halfscanned", index.platforms().get("linux/amd64"),
                TestResources.read("trivy/debian-buster.json"));

        assertThat(lookup.inspect(ref("shop/halfscanned", "3.0"), LookupOptions.ALL_PLATFORMS).scan()).isEmpty();
    }

    @Test
    void aPinnedDigestNeedsNoTagResolutionAndAMissingTagIsAFailure() {
        Digest digest = registry.pushImage("shop/pinned", "1.0", CREATED);

        Map<ImageReference, LookupResult> results = lookup.lookupAll(List.of(
                ImageReference.parse(registry.host() + "/shop/pinned@" + digest),
                ref("shop/pinned", "nope")), LookupOptions.ALL_PLATFORMS);

        assertThat(results.values()).first().isInstanceOf(LookupResult.Found.class);
        RegistryException error = ((LookupResult.Failed) List.copyOf(results.values()).get(1)).error();
        assertThat(error.getMessage()).contains("could not verify", "tag nope was not found");
        assertThat(error.statusCode()).isEqualTo(404);
        assertThat(lookup.stats().tagResolutions()).isEqualTo(1);
    }

    private static ImageReference ref(String repository, String tag) {
        return ImageReference.parse(registry.reference(repository, tag));
    }
}
