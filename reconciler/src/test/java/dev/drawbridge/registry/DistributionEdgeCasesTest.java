package dev.drawbridge.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.request;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.drawbridge.image.Digest;
import dev.drawbridge.image.ImageReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Authentication variants, redirects, digest verification and size bounds of the distribution client. */
class DistributionEdgeCasesTest {
    private static final Instant CREATED = Instant.parse("2026-10-01T08:00:00Z");
    private static final String USER = "reader";
    private static final String PASSWORD = "pa55-word-SECRET";

    private WireMockServer server;
    private MutableClock clock;
    private RegistryLookup lookup;

    @BeforeEach
    void start() {
        server = WireMockImages.startServer();
        clock = new MutableClock(Instant.parse("2026-11-29T10:00:00Z"));
        server.stubFor(get(urlPathMatching("/v2/.*/referrers/.*")).atPriority(2).willReturn(aResponse().withStatus(404)));
        server.stubFor(get(urlPathMatching("/v2/.*/manifests/sha256-.*")).atPriority(2).willReturn(aResponse().withStatus(404)));
        lookup = new RegistryLookup(List.of(new RegistrySettings(host(), RegistrySettings.Type.OCI,
                URI.create("http://localhost:" + server.port()), USER, () -> PASSWORD, true, 4, Duration.ofSeconds(5))), clock, Duration.ZERO);
    }

    @AfterEach
    void stop() {
        lookup.close();
        server.stop();
    }

    @Test
    void answersABasicChallengeWithTheConfiguredCredentials() {
        String basic = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        server.stubFor(any(urlPathMatching("/v2/.*")).atPriority(1).withHeader("Authorization", absent())
                .willReturn(aResponse().withStatus(401).withHeader("WWW-Authenticate", "Basic realm=\"Registry\"")));
        new WireMockImages(server, false).image("app", "1", CREATED);

        assertThat(lookup.lookup(ref("app:1"), LookupOptions.ALL_PLATFORMS)).isInstanceOf(LookupResult.Found.class);
        server.verify(getRequestedFor(urlPathMatching("/v2/app/blobs/.*")).withHeader("Authorization", equalTo(basic)));
    }

    @Test
    void refreshesAnExpiredToken() {
        new WireMockImages(server, true).stubTokenFlow();
        new WireMockImages(server, true).image("shop/api", "1", CREATED);

        lookup.lookup(ref("shop/api:1"), LookupOptions.ALL_PLATFORMS);
        lookup.lookup(ref("shop/api:1"), LookupOptions.ALL_PLATFORMS);
        server.verify(1, getRequestedFor(urlPathEqualTo("/service/token")));
        clock.advance(Duration.ofMinutes(31));
        lookup.lookup(ref("shop/api:1"), LookupOptions.ALL_PLATFORMS);

        server.verify(2, getRequestedFor(urlPathEqualTo("/service/token")));
    }

    @Test
    void followsABlobRedirectToAnotherHostWithoutCredentials() {
        // the registry is reached as localhost; the redirect goes to 127.0.0.1, another host
        new WireMockImages(server, true).stubTokenFlow();
        byte[] config = ("{\"created\":\"" + CREATED + "\"}").getBytes(StandardCharsets.UTF_8);
        Digest configDigest = Digest.sha256(config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                + "\",\"size\":" + config.length + "},\"layers\":[]}").getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(manifest);
        String bearer = "Bearer " + WireMockImages.TOKEN;
        server.stubFor(get(urlPathEqualTo("/v2/shop/api/manifests/" + digest)).atPriority(1)
                .withHeader("Authorization", equalTo(bearer)).willReturn(aResponse().withStatus(200).withBody(manifest)));
        server.stubFor(get(urlPathEqualTo("/v2/shop/api/blobs/" + configDigest)).atPriority(1)
                .withHeader("Authorization", equalTo(bearer)).willReturn(aResponse().withStatus(307)
                        .withHeader("Location", "http://127.0.0.1:" + server.port() + "/storage/config?sig=x")));
        server.stubFor(get(urlPathEqualTo("/storage/config")).withHeader("Authorization", absent())
                .willReturn(aResponse().withStatus(200).withBody(config)));

        LookupResult result = lookup.lookup(ImageReference.parse(host() + "/shop/api@" + digest), LookupOptions.ALL_PLATFORMS);

        assertThat(result).isInstanceOf(LookupResult.Found.class);
        assertThat(((LookupResult.Found) result).facts().platforms().get(0).created()).isEqualTo(CREATED);
    }

    @Test
    void refusesAManifestWhoseContentDoesNotMatchItsDigest() {
        Digest claimed = Digest.sha256("something else".getBytes(StandardCharsets.UTF_8));
        server.stubFor(get(urlPathEqualTo("/v2/app/manifests/" + claimed)).willReturn(aResponse().withStatus(200)
                .withBody("{\"schemaVersion\":2,\"config\":{}}")));
        server.stubFor(request("HEAD", urlPathEqualTo("/v2/app/manifests/moved")).willReturn(aResponse().withStatus(405)));
        server.stubFor(get(urlPathEqualTo("/v2/app/manifests/moved")).willReturn(aResponse().withStatus(200)
                .withHeader("Docker-Content-Digest", claimed.toString()).withBody("{\"schemaVersion\":2,\"config\":{}}")));

        LookupResult byDigest = lookup.lookup(ImageReference.parse(host() + "/app@" + claimed), LookupOptions.ALL_PLATFORMS);
        LookupResult byTag = lookup.lookup(ref("app:moved"), LookupOptions.ALL_PLATFORMS);

        assertThat(((LookupResult.Failed) byDigest).error().getMessage())
                .startsWith("could not verify " + host() + "/app:").contains("not the digest asked for");
        assertThat(((LookupResult.Failed) byTag).error().getMessage())
                .startsWith("could not verify " + host() + "/app:").contains("but the registry says " + claimed);
    }

    @Test
    void refusesAnOversizedManifest() {
        Digest digest = Digest.sha256(new byte[] {7});
        server.stubFor(get(urlPathEqualTo("/v2/app/manifests/" + digest)).willReturn(aResponse().withStatus(200)
                .withBody(new byte[(4 << 20) + 10])));

        LookupResult result = lookup.lookup(ImageReference.parse(host() + "/app@" + digest), LookupOptions.ALL_PLATFORMS);

        assertThat(((LookupResult.Failed) result).error().getMessage()).contains("larger than the limit of 4194304 bytes");
    }

    @Test
    void anUnreachableRegistryIsAFailureWithoutStatus() {
        int port = server.port();
        server.stop();

        LookupResult result = lookup.lookup(ImageReference.parse("127.0.0.1:" + port + "/app:1"), LookupOptions.ALL_PLATFORMS);

        RegistryException error = ((LookupResult.Failed) result).error();
        assertThat(error.getMessage()).startsWith("could not verify").contains("unreachable");
        assertThat(error.statusCode()).isZero();
        assertThat(error.getMessage()).doesNotContain(PASSWORD);
    }

    private String host() {
        return "127.0.0.1:" + server.port();
    }

    private ImageReference ref(String pathAndTag) {
        return ImageReference.parse(host() + "/" + pathAndTag);
    }
}
