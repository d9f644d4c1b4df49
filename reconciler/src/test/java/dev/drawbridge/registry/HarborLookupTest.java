package dev.drawbridge.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.drawbridge.image.Digest;
import dev.drawbridge.image.ImageReference;
import dev.drawbridge.image.Severity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Harbor's REST API v2.0 for scan results, and its /v2 registry with the Bearer token flow, over WireMock. */
class HarborLookupTest {
    private static final String USER = "robot$drawbridge";
    private static final String PASSWORD = "s3cret-PASSWORD-42";
    private static final String ACCEPT = "application/vnd.security.vulnerability.report; version=1.1, "
            + "application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0";
    private static final String NATIVE = "application/vnd.security.vulnerability.report; version=1.1";
    private static final Instant CREATED = Instant.parse("2026-10-01T08:00:00Z");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T10:00:00Z"), ZoneOffset.UTC);

    private WireMockServer server;
    private WireMockImages images;
    private RegistryLookup lookup;

    @BeforeEach
    void start() {
        server = WireMockImages.startServer();
        images = new WireMockImages(server, true);
        images.stubTokenFlow();
        lookup = lookupWithTimeout(Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        lookup.close();
        server.stop();
    }

    @Test
    void readsHarborScanOverviewAndVulnerabilitiesWithFixVersions() throws Exception {
        Digest digest = images.image("shop/api", "1.4.2", CREATED);
        String artifact = "/api/v2.0/projects/shop/repositories/api/artifacts/" + digest;
        server.stubFor(harbor(artifact + "?with_scan_overview=true").willReturn(json(overview("Success",
                "\"summary\":{\"total\":2,\"fixable\":1,\"summary\":{\"Critical\":1,\"Low\":1}}"))));
        server.stubFor(harbor(artifact + "/additions/vulnerabilities").willReturn(json("{\"" + NATIVE + "\":{"
                + "\"generated_at\":\"2026-11-28T07:00:00Z\",\"severity\":\"Critical\",\"vulnerabilities\":["
                + "{\"id\":\"CVE-2026-1234\",\"package\":\"openssl\",\"version\":\"3.0.13\",\"fix_version\":\"3.0.15\","
                + "\"severity\":\"Critical\",\"description\":\"...\",\"links\":[]},"
                + "{\"id\":\"CVE-2026-9999\",\"package\":\"zlib\",\"version\":\"1.2.13\",\"fix_version\":\"\","
                + "\"severity\":\"Low\"}]}}")));

        ImageFacts facts = lookup.inspect(harborRef("shop/api:1.4.2"), LookupOptions.ALL_PLATFORMS);

        assertThat(facts.digest()).isEqualTo(digest);
        assertThat(facts.platforms()).containsExactly(new PlatformImage(null, digest, CREATED));
        ScanReport scan = facts.scan().orElseThrow();
        assertThat(scan.source()).isEqualTo("harbor");
        assertThat(scan.succeeded()).isTrue();
        assertThat(scan.finishedAt()).isEqualTo(Instant.parse("2026-11-28T07:00:00Z"));
        assertThat(scan.summary()).containsEntry(Severity.CRITICAL, 1).containsEntry(Severity.LOW, 1)
                .containsEntry(Severity.HIGH, 0);
        assertThat(scan.findings()).containsExactly(
                new Finding("CVE-2026-1234", "openssl", "3.0.13", "3.0.15", Severity.CRITICAL),
                new Finding("CVE-2026-9999", "zlib", "1.2.13", "", Severity.LOW));
        assertThat(scan.findings().get(1).hasFix()).isFalse();
    }

    /** Harbor's answer for an artifact asked for by tag, as Harbor 2.x gives it. */
    private static String taggedArtifact(Digest digest, String manifestMediaType, String extraAttrs, String tag) {
        return "{\"id\":12,\"type\":\"IMAGE\",\"media_type\":\"application/vnd.oci.image.config.v1+json\","
                + "\"manifest_media_type\":\"" + manifestMediaType + "\",\"digest\":\"" + digest + "\","
                + "\"push_time\":\"2026-10-01T08:05:00.123Z\",\"extra_attrs\":" + extraAttrs + ","
                + "\"tags\":[{\"name\":\"" + tag + "\",\"immutable\":false}],"
                + overview("Success", "\"summary\":{\"total\":0,\"fixable\":0,\"summary\":{}}")
                .replace("{\"id\":7,\"digest\":\"sha256:x\",", "");
    }

    @Test
    void readsATagFromHarborsArtifactApiInOneRequest() throws Exception {
        Digest digest = Digest.sha256("the manifest Harbor holds".getBytes());
        server.stubFor(harbor("/api/v2.0/projects/prod/repositories/shop%252Fapi/artifacts/2.1?with_scan_overview=true")
                .willReturn(json(taggedArtifact(digest, "application/vnd.oci.image.manifest.v1+json",
                        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"" + CREATED + "\"}", "2.1"))));

        ImageFacts facts = lookup.inspect(harborRef("prod/shop/api:2.1"), LookupOptions.ALL_PLATFORMS);
        ImageFacts again = lookup.inspect(harborRef("prod/shop/api:2.1"), LookupOptions.ALL_PLATFORMS);

        assertThat(facts.digest()).isEqualTo(digest);
        assertThat(facts.platforms()).containsExactly(new PlatformImage(null, digest, CREATED));
        assertThat(facts.scan().orElseThrow().succeeded()).isTrue();
        assertThat(again.digest()).isEqualTo(digest);
        assertThat(lookup.stats().httpRequests()).as("one request, then the cache").isEqualTo(1);
        server.verify(0, getRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/v2/.*")));
    }

    @Test
    void aTagHarborCannotDescribeInOneAnswerIsResolvedWithTheDistributionApi() throws Exception {
        Digest digest = images.image("shop/api", "1.4.2", CREATED);
        server.stubFor(harbor("/api/v2.0/projects/shop/repositories/api/artifacts/1.4.2?with_scan_overview=true")
                .willReturn(json(taggedArtifact(digest, "application/vnd.oci.image.manifest.v1+json", "{}", "1.4.2"))));
        server.stubFor(harbor(artifact("shop", "api", digest)).willReturn(json(overview("Success",
                "\"summary\":{\"total\":0,\"fixable\":0,\"summary\":{}}"))));

        ImageFacts facts = lookup.inspect(harborRef("shop/api:1.4.2"), LookupOptions.ALL_PLATFORMS);

        assertThat(facts.platforms()).containsExactly(new PlatformImage(null, digest, CREATED));
        server.verify(getRequestedFor(urlEqualTo("/v2/shop/api/manifests/1.4.2")));
        server.verify(getRequestedFor(urlEqualTo(artifact("shop", "api", digest))));
    }

    @Test
    void anInvalidDigestInHarborsAnswerIsACouldNotVerifyFailure() {
        server.stubFor(harbor("/api/v2.0/projects/shop/repositories/api/artifacts/9.9?with_scan_overview=true")
                .willReturn(json("{\"digest\":\"sha256:not-a-digest\",\"manifest_media_type\":"
                        + "\"application/vnd.oci.image.manifest.v1+json\",\"extra_attrs\":{\"created\":\"" + CREATED + "\"}}")));

        RegistryException error = failure(lookup.lookup(harborRef("shop/api:9.9"), LookupOptions.ALL_PLATFORMS));

        assertThat(error.getMessage()).startsWith("could not verify").contains("invalid digest");
    }

    @Test
    void readsHarborScanOverviewWithDoubleEncodedRepository() throws Exception {
        Digest digest = images.image("prod/shop/api", "2.0", CREATED);
        server.stubFor(harbor("/api/v2.0/projects/prod/repositories/shop%252Fapi/artifacts/" + digest
                + "?with_scan_overview=true").willReturn(json(overview("Success",
                "\"summary\":{\"total\":0,\"fixable\":0,\"summary\":{}}"))));

        ScanReport scan = lookup.inspect(harborRef("prod/shop/api:2.0"), LookupOptions.ALL_PLATFORMS).scan().orElseThrow();

        assertThat(scan.succeeded()).isTrue();
        assertThat(scan.findings()).isEmpty();
        server.verify(0, getRequestedFor(urlPathEqualTo("/api/v2.0/projects/prod/repositories/shop%252Fapi/artifacts/"
                + digest + "/additions/vulnerabilities")));
    }

    @Test
    void reportsAPendingOrRunningScanWithItsStatus() throws Exception {
        Digest pending = images.image("shop/pending", "1", CREATED);
        Digest running = images.image("shop/running", "1", CREATED);
        server.stubFor(harbor(artifact("shop", "pending", pending)).willReturn(json(overview("Pending", "\"summary\":null"))));
        server.stubFor(harbor(artifact("shop", "running", running)).willReturn(json(overview("Running", "\"summary\":null"))));

        ScanReport p = lookup.inspect(harborRef("shop/pending:1"), LookupOptions.ALL_PLATFORMS).scan().orElseThrow();
        ScanReport r = lookup.inspect(harborRef("shop/running:1"), LookupOptions.ALL_PLATFORMS).scan().orElseThrow();

        assertThat(p.status()).isEqualTo("Pending");
        assertThat(p.succeeded()).isFalse();
        assertThat(p.findings()).isNull();
        assertThat(r.status()).isEqualTo("Running");
    }

    @Test
    void findsNoScanWhenTheOverviewIsAbsent() throws Exception {
        Digest digest = images.image("shop/never", "1", CREATED);
        server.stubFor(harbor(artifact("shop", "never", digest)).willReturn(json("{\"digest\":\"" + digest + "\"}")));

        assertThat(lookup.inspect(harborRef("shop/never:1"), LookupOptions.ALL_PLATFORMS).scan()).isEmpty();
    }

    @Test
    void detectsAnSbomThatHarborDescribes() throws Exception {
        Digest digest = images.image("shop/sbom", "1", CREATED);
        server.stubFor(harbor(artifact("shop", "sbom", digest)).willReturn(json("{\"accessories\":[{\"type\":\"harbor.sbom\","
                + "\"digest\":\"sha256:abc\",\"subject_artifact_digest\":\"" + digest + "\"}]}")));

        assertThat(lookup.inspect(harborRef("shop/sbom:1"), LookupOptions.ALL_PLATFORMS).sbomAttached()).isTrue();
    }

    @Test
    void onlyAnEnvironmentThatRequiresAnSbomAsksHarborAboutSboms() throws Exception {
        Digest digest = images.image("shop/app", "1", CREATED);
        String clean = overview("Success", "\"summary\":{\"total\":0,\"fixable\":0,\"summary\":{}}");
        server.stubFor(harbor(artifact("shop", "app", digest)).willReturn(json(clean)));
        server.stubFor(harbor(artifact("shop", "app", digest) + "&with_accessory=true&with_sbom_overview=true").willReturn(json(
                clean.substring(0, clean.length() - 1) + ",\"sbom_overview\":{\"scan_status\":\"Success\","
                        + "\"sbom_digest\":\"sha256:" + "5".repeat(64) + "\",\"end_time\":\"2026-11-28T07:00:00Z\"},"
                        + "\"accessories\":[{\"type\":\"harbor.sbom\",\"digest\":\"sha256:" + "5".repeat(64) + "\"}]}")));

        ImageFacts plain = lookup.inspect(harborRef("shop/app:1"), LookupOptions.ALL_PLATFORMS);
        ImageFacts withSbom = lookup.inspect(harborRef("shop/app:1"), new LookupOptions(java.util.Set.of(), true));

        assertThat(plain.sbomAttached()).isFalse();
        assertThat(plain.scan()).isPresent();
        assertThat(withSbom.sbomAttached()).isTrue();
        assertThat(withSbom.scan()).isPresent();
        server.verify(1, getRequestedFor(urlEqualTo(artifact("shop", "app", digest))));
        server.verify(1, getRequestedFor(urlEqualTo(artifact("shop", "app", digest) + "&with_accessory=true&with_sbom_overview=true")));
        server.verify(0, getRequestedFor(urlPathEqualTo("/v2/shop/app/referrers/" + digest)));
    }

    @Test
    void anSbomAttachedAsAnOciReferrerIsFoundWithHarborsReferrersApi() throws Exception {
        Digest digest = images.image("shop/app", "2", CREATED);
        // oras attach / cosign attach sbom: Harbor lists a "subject.accessory" and does not say what it is
        server.stubFor(harbor(artifact("shop", "app", digest) + "&with_accessory=true&with_sbom_overview=true").willReturn(json(
                "{\"digest\":\"" + digest + "\",\"accessories\":[{\"type\":\"subject.accessory\",\"digest\":\"sha256:" + "6".repeat(64) + "\"}]}")));
        images.referrers("shop/app", digest, "application/vnd.dev.cosign.artifact.sig.v1+json", "application/vnd.cyclonedx+json");

        ImageFacts facts = lookup.inspect(harborRef("shop/app:2"), new LookupOptions(java.util.Set.of(), true));

        assertThat(facts.sbomAttached()).isTrue();
        server.verify(1, getRequestedFor(urlPathEqualTo("/v2/shop/app/referrers/" + digest)));
    }

    @Test
    void aHarborThatAnswersOnlyTheDocumentedQueryIsAskedThatAgain() throws Exception {
        Digest digest = images.image("shop/app", "3", CREATED);
        server.stubFor(harbor(artifact("shop", "app", digest)).willReturn(json(overview("Success",
                "\"summary\":{\"total\":0,\"fixable\":0,\"summary\":{}}"))));
        images.referrers("shop/app", digest); // none

        ImageFacts facts = lookup.inspect(harborRef("shop/app:3"), new LookupOptions(java.util.Set.of(), true));

        assertThat(facts.scan().orElseThrow().succeeded()).isTrue();
        assertThat(facts.sbomAttached()).as("none in the answer, no referrer").isFalse();
        server.verify(1, getRequestedFor(urlEqualTo(artifact("shop", "app", digest))));
    }

    @Test
    void harborServerErrorIsACouldNotVerifyFailure() {
        Digest digest = images.image("shop/api", "1.4.2", CREATED);
        server.stubFor(harbor(artifact("shop", "api", digest)).willReturn(aResponse().withStatus(500)));

        RegistryException error = failure(lookup.lookup(harborRef("shop/api:1.4.2"), LookupOptions.ALL_PLATFORMS));

        assertThat(error.getMessage()).startsWith("could not verify " + host() + "/shop/api: Harbor answered 500");
        assertThat(error.statusCode()).isEqualTo(500);
        assertThat(error.registry()).isEqualTo(host());
        assertThat(error.repository()).isEqualTo("shop/api");
        assertNoSecret(error);
    }

    @Test
    void harborTimeoutIsACouldNotVerifyFailureWithoutStatus() {
        lookup.close();
        lookup = lookupWithTimeout(Duration.ofMillis(300));
        Digest digest = images.image("shop/api", "1.4.2", CREATED);
        server.stubFor(harbor(artifact("shop", "api", digest)).willReturn(json("{}").withFixedDelay(1500)));

        RegistryException error = failure(lookup.lookup(harborRef("shop/api:1.4.2"), LookupOptions.ALL_PLATFORMS));

        assertThat(error.getMessage()).startsWith("could not verify").contains("did not answer within 300 ms");
        assertThat(error.statusCode()).isZero();
        assertNoSecret(error);
    }

    @Test
    void harborUnauthorizedIsAnAuthenticationFailureWithoutTheSecret() {
        Digest digest = images.image("shop/api", "1.4.2", CREATED);
        server.stubFor(get(urlEqualTo(artifact("shop", "api", digest))).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Basic realm=\"harbor\"")));

        RegistryException error = failure(lookup.lookup(harborRef("shop/api:1.4.2"), LookupOptions.ALL_PLATFORMS));

        assertThat(error.getMessage()).startsWith("could not verify").contains("authentication failed (401, as " + USER + ")");
        assertThat(error.statusCode()).isEqualTo(401);
        assertNoSecret(error);
    }

    @Test
    void malformedHarborAnswerIsACouldNotVerifyFailure() {
        Digest digest = images.image("shop/api", "1.4.2", CREATED);
        server.stubFor(harbor(artifact("shop", "api", digest)).willReturn(json("{\"scan_overview\": {")));

        RegistryException error = failure(lookup.lookup(harborRef("shop/api:1.4.2"), LookupOptions.ALL_PLATFORMS));

        assertThat(error.getMessage()).startsWith("could not verify").contains("malformed JSON");
        assertNoSecret(error);
    }

    @Test
    void fetchesTheBearerTokenOnceForSeveralImagesAndSendsRobotCredentials() {
        Digest digest = images.image("shop/api", "1.0", CREATED);
        List<ImageReference> refs = IntStream.range(0, 6).mapToObj(i -> {
            images.tag("shop/api", "v" + i, digest);
            return harborRef("shop/api:v" + i);
        }).toList();
        server.stubFor(harbor(artifact("shop", "api", digest)).willReturn(json("{}")));

        Map<ImageReference, LookupResult> results = lookup.lookupAll(refs, LookupOptions.ALL_PLATFORMS);

        assertThat(results.values()).allSatisfy(r -> assertThat(r).isInstanceOf(LookupResult.Found.class));
        server.verify(1, getRequestedFor(urlPathEqualTo("/service/token"))
                .withQueryParam("scope", equalTo("repository:shop/api:pull"))
                .withQueryParam("service", equalTo("harbor-registry"))
                .withBasicAuth(new com.github.tomakehurst.wiremock.client.BasicCredentials(USER, PASSWORD)));
    }

    @Test
    void tokenEndpointRefusalIsAnAuthenticationFailureWithoutTheSecret() {
        images.image("shop/api", "1.4.2", CREATED);
        server.stubFor(get(urlPathEqualTo("/service/token")).atPriority(1).willReturn(aResponse().withStatus(401)));

        RegistryException error = failure(lookup.lookup(harborRef("shop/api:1.4.2"), LookupOptions.ALL_PLATFORMS));

        assertThat(error.getMessage()).startsWith("could not verify " + host() + "/shop/api:")
                .contains("token endpoint refused", "manifest 1.4.2");
        assertNoSecret(error);
    }

    private RegistryLookup lookupWithTimeout(Duration timeout) {
        RegistrySettings settings = new RegistrySettings(host(), RegistrySettings.Type.HARBOR,
                java.net.URI.create(server.baseUrl()), USER, () -> PASSWORD, true, 4, timeout);
        return new RegistryLookup(List.of(settings), CLOCK, Duration.ofMinutes(5));
    }

    private MappingBuilder harbor(String url) {
        return get(urlEqualTo(url)).withBasicAuth(USER, PASSWORD)
                .withHeader("X-Accept-Vulnerabilities", equalTo(ACCEPT));
    }

    private static String artifact(String project, String repository, Digest digest) {
        return "/api/v2.0/projects/" + project + "/repositories/" + repository + "/artifacts/" + digest
                + "?with_scan_overview=true";
    }

    private static String overview(String status, String summary) {
        return "{\"id\":7,\"digest\":\"sha256:x\",\"scan_overview\":{\"" + NATIVE + "\":{\"report_id\":\"r-1\","
                + "\"scan_status\":\"" + status + "\",\"severity\":\"Critical\",\"duration\":12,"
                + "\"start_time\":\"2026-11-28T06:59:48Z\",\"end_time\":\"2026-11-28T07:00:00Z\","
                + "\"complete_percent\":100,\"scanner\":{\"name\":\"Trivy\",\"vendor\":\"Aqua Security\",\"version\":\"v0.50.0\"},"
                + summary + "}}}";
    }

    private static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    private String host() {
        return "127.0.0.1:" + server.port();
    }

    private ImageReference harborRef(String pathAndTag) {
        return ImageReference.parse(host() + "/" + pathAndTag);
    }

    private static RegistryException failure(LookupResult result) {
        assertThat(result).isInstanceOf(LookupResult.Failed.class);
        return ((LookupResult.Failed) result).error();
    }

    private static void assertNoSecret(RegistryException error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(PASSWORD).doesNotContain(WireMockImages.TOKEN)
                    .doesNotContain(java.util.Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes()));
        }
    }
}
