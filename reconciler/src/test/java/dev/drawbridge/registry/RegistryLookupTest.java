package dev.drawbridge.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.drawbridge.image.Digest;
import dev.drawbridge.image.ImageReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Coalescing, caching and the per-registry concurrency bound of {@link RegistryLookup}, over WireMock. */
class RegistryLookupTest {
    private static final Instant CREATED = Instant.parse("2026-10-01T08:00:00Z");
    private static final Duration TTL = Duration.ofMinutes(5);
    private static final String DIGEST_MANIFESTS = "/v2/app[0-9]+/manifests/sha256:[a-f0-9]{64}";

    private WireMockServer server;
    private WireMockImages images;
    private MutableClock clock;
    private final List<RegistryLookup> lookups = new ArrayList<>();

    @BeforeEach
    void start() {
        server = WireMockImages.startServer();
        images = new WireMockImages(server, false);
        clock = new MutableClock(Instant.parse("2026-11-29T10:00:00Z"));
        server.stubFor(get(urlPathMatching("/v2/.*/referrers/.*")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/vnd.oci.image.index.v1+json")
                .withBody("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}")));
    }

    @AfterEach
    void stop() {
        lookups.forEach(RegistryLookup::close);
        server.stop();
    }

    @Test
    void looksEachDigestUpOnceAndAnswersFromTheCacheUntilTheTtlPasses() {
        RegistryLookup lookup = lookup(settings(8, true), RegistryLookup::defaultClient);
        List<ImageReference> refs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Digest digest = images.image("app" + i, "t0", CREATED);
            refs.add(ref("app" + i + ":t0"));
            for (int t = 1; t < 5; t++) {
                images.tag("app" + i, "t" + t, digest);
                refs.add(ref("app" + i + ":t" + t));
            }
        }

        Map<ImageReference, LookupResult> first = lookup.lookupAll(refs, LookupOptions.ALL_PLATFORMS);

        assertThat(first).hasSize(50).allSatisfy((r, result) -> assertThat(result).isInstanceOf(LookupResult.Found.class));
        server.verify(10, getRequestedFor(urlPathMatching("/v2/.*/referrers/.*")));
        assertThat(lookup.stats().lookups()).isEqualTo(10);
        assertThat(lookup.stats().tagResolutions()).isEqualTo(50);
        int requests = server.getAllServeEvents().size();

        lookup.lookupAll(refs, LookupOptions.ALL_PLATFORMS);

        assertThat(server.getAllServeEvents()).as("a warm lookup asks the registry nothing").hasSize(requests);
        assertThat(lookup.stats().lookups()).isEqualTo(10);
        assertThat(lookup.stats().cacheHits()).isGreaterThanOrEqualTo(100);
        assertThat(lookup.stats().tagResolutions()).as("tag resolutions are cached for the TTL").isEqualTo(50);

        clock.advance(TTL.plusSeconds(1));
        lookup.lookupAll(refs, LookupOptions.ALL_PLATFORMS);

        server.verify(20, getRequestedFor(urlPathMatching("/v2/.*/referrers/.*")));
        assertThat(lookup.stats().lookups()).isEqualTo(20);
        assertThat(lookup.stats().tagResolutions()).isEqualTo(100);
    }

    @Test
    void aLookupOfImagesAllInTheCacheIsAnsweredInTheCallingThreadHandingNothingToThePool() {
        RegistryLookup lookup = lookup(settings(8, true), RegistryLookup::defaultClient);
        Digest digest = images.image("app1", "1.0", CREATED);
        List<ImageReference> refs = List.of(ref("app1:1.0"), ImageReference.parse(host() + "/app1@" + digest));
        lookup.lookupAll(refs, LookupOptions.ALL_PLATFORMS);
        long hits = lookup.stats().cacheHits();

        lookup.close(); // its pool refuses every task from now on: what is answered was answered without it
        Map<ImageReference, LookupResult> warm = lookup.lookupAll(refs, LookupOptions.ALL_PLATFORMS);

        assertThat(warm.values()).allSatisfy(r -> assertThat(((LookupResult.Found) r).facts().digest()).isEqualTo(digest));
        assertThat(lookup.stats().cacheHits()).as("the tag's hit and the facts' for the tag, the facts' for the digest")
                .isEqualTo(hits + 3);
        clock.advance(TTL.plusSeconds(1));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> lookup.lookupAll(refs, LookupOptions.ALL_PLATFORMS))
                .as("expired: looked up again, in the pool").isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
    }

    @Test
    void looksIdenticalReferencesUpOnce() {
        RegistryLookup lookup = lookup(settings(8, true), RegistryLookup::defaultClient);
        images.image("app1", "1.0", CREATED);
        ImageReference ref = ref("app1:1.0");

        Map<ImageReference, LookupResult> results = lookup.lookupAll(List.of(ref, ref, ImageReference.parse(ref.toString())),
                LookupOptions.ALL_PLATFORMS);

        assertThat(results).hasSize(1);
        assertThat(lookup.stats().tagResolutions()).isEqualTo(1);
        assertThat(lookup.stats().lookups()).isEqualTo(1);
    }

    @Test
    void keepsTheNumberOfConcurrentRequestsPerRegistryWithinItsBound() {
        server.setGlobalFixedDelay(40);
        CountingTransport[] client = new CountingTransport[1];
        RegistryLookup lookup = lookup(settings(3, true), s -> client[0] = new CountingTransport(RegistryLookup.defaultClient(s)));
        List<ImageReference> refs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Digest digest = images.image("app" + i, "1", CREATED);
            refs.add(ImageReference.parse(host() + "/app" + i + "@" + digest));
        }

        Map<ImageReference, LookupResult> results = lookup.lookupAll(refs, LookupOptions.ALL_PLATFORMS);

        assertThat(results.values()).allSatisfy(r -> assertThat(r).isInstanceOf(LookupResult.Found.class));
        assertThat(client[0].maxInFlight()).isLessThanOrEqualTo(3).isGreaterThanOrEqualTo(2);
        assertThat(lookup.stats().tagResolutions()).isZero();
        // per image: manifest, config, referrers, and (no report among them) cosign's attestation tag
        assertThat(lookup.stats().httpRequests()).isEqualTo(48);
    }

    @Test
    void failsWhatDidNotFinishBeforeTheDeadline() {
        RegistryLookup lookup = lookup(settings(8, true), RegistryLookup::defaultClient);
        images.image("app1", "1.0", CREATED);
        server.setGlobalFixedDelay(1000);

        Map<ImageReference, LookupResult> results = lookup.lookupAll(List.of(ref("app1:1.0")),
                LookupOptions.ALL_PLATFORMS, Duration.ofMillis(200));

        RegistryException error = ((LookupResult.Failed) results.get(ref("app1:1.0"))).error();
        assertThat(error.getMessage()).isEqualTo("could not verify " + host() + "/app1: the lookup did not finish within 200 ms");
        assertThat(error.statusCode()).isZero();
    }

    @Test
    void doesNotCacheFailures() {
        RegistryLookup lookup = lookup(settings(8, true), RegistryLookup::defaultClient);
        Digest digest = images.image("app1", "1.0", CREATED);
        server.stubFor(get(urlPathMatching("/v2/app1/blobs/.*")).atPriority(1)
                .willReturn(aResponse().withStatus(503)));

        LookupResult failed = lookup.lookup(ref("app1:1.0"), LookupOptions.ALL_PLATFORMS);
        server.resetMappings();
        images.image("app1", "1.0", CREATED);
        server.stubFor(get(urlPathMatching("/v2/.*/referrers/.*")).willReturn(aResponse().withStatus(404)));
        server.stubFor(get(urlPathMatching("/v2/.*/manifests/sha256-.*")).willReturn(aResponse().withStatus(404)));
        LookupResult found = lookup.lookup(ref("app1:1.0"), LookupOptions.ALL_PLATFORMS);

        assertThat(((LookupResult.Failed) failed).error().getMessage())
                .isEqualTo("could not verify " + host() + "/app1: registry answered 503 for the image config of "
                        + digest.shortForm());
        assertThat(found).isInstanceOf(LookupResult.Found.class);
        assertThat(lookup.stats().lookups()).isEqualTo(2);
        // the scan source runs beside the config read, so the failed lookup may or may not have reached it
        assertThat(lookup.stats().referrersTagFallbacks()).isBetween(1L, 2L);
    }

    @Test
    void refusesPlainHttpUnlessInsecureIsSet() {
        RegistryLookup lookup = lookup(settings(8, false), RegistryLookup::defaultClient);

        LookupResult result = lookup.lookup(ref("app1:1.0"), LookupOptions.ALL_PLATFORMS);

        assertThat(((LookupResult.Failed) result).error().getMessage()).startsWith("could not verify").contains("plain http");
        assertThat(server.getAllServeEvents()).isEmpty();
    }

    private RegistryLookup lookup(RegistrySettings settings,
                                  java.util.function.Function<RegistrySettings, HttpTransport> clients) {
        RegistryLookup lookup = new RegistryLookup(List.of(settings), clock, TTL, clients);
        lookups.add(lookup);
        return lookup;
    }

    private RegistrySettings settings(int concurrency, boolean insecure) {
        return new RegistrySettings(host(), RegistrySettings.Type.OCI, URI.create(server.baseUrl()), null, null,
                insecure, concurrency, Duration.ofSeconds(5));
    }

    private String host() {
        return "127.0.0.1:" + server.port();
    }

    private ImageReference ref(String pathAndTag) {
        return ImageReference.parse(host() + "/" + pathAndTag);
    }
}
