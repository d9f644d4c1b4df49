package dev.drawbridge.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.Slf4jNotifier;
import dev.drawbridge.image.Digest;
import dev.drawbridge.image.ImageReference;
import dev.drawbridge.registry.testing.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS and credentials toward a registry: a registry with its own certificate authority is trusted through its
 * {@code ca-file} only, and credentials never follow a redirect or a token realm across a scheme or host change.
 */
class RegistryTlsTest {
    private static final Instant CREATED = Instant.parse("2026-10-01T08:00:00Z");
    private static final String USER = "robot$reader";
    private static final String PASSWORD = "pa55-word-SECRET";

    @TempDir
    static Path dir;
    private static TestCertificates ca;
    private static WireMockServer tls;
    private static WireMockServer plain;

    private RegistryLookup lookup;

    @BeforeAll
    static void startServers() {
        ca = TestCertificates.authority("Drawbridge test CA");
        char[] password = "changeit".toCharArray();
        Path keyStore = ca.serverKeyStore(dir.resolve("server.p12"), password, "localhost", "127.0.0.1");
        tls = new WireMockServer(options().httpDisabled(true).dynamicHttpsPort().bindAddress("127.0.0.1")
                .keystorePath(keyStore.toString()).keystorePassword("changeit").keyManagerPassword("changeit")
                .keystoreType("PKCS12").notifier(new Slf4jNotifier(false)));
        tls.start();
        plain = WireMockImages.startServer();
    }

    @AfterAll
    static void stopServers() {
        tls.stop();
        plain.stop();
    }

    @BeforeEach
    void basicAuthRegistry() {
        tls.resetAll();
        plain.resetAll();
        tls.stubFor(any(urlPathMatching("/v2/.*")).atPriority(1).withHeader("Authorization", absent())
                .willReturn(aResponse().withStatus(401).withHeader("WWW-Authenticate", "Basic realm=\"Registry\"")));
        tls.stubFor(get(urlPathMatching("/v2/.*/referrers/.*")).atPriority(2).willReturn(aResponse().withStatus(404)));
        tls.stubFor(get(urlPathMatching("/v2/.*/manifests/sha256-.*")).atPriority(2).willReturn(aResponse().withStatus(404)));
    }

    @AfterEach
    void closeLookup() {
        if (lookup != null) {
            lookup.close();
        }
    }

    private RegistryLookup lookup(boolean withCaFile) {
        RegistrySettings settings = new RegistrySettings(host(), RegistrySettings.Type.OCI,
                URI.create("https://localhost:" + tls.httpsPort()), USER, () -> PASSWORD, false, 4, Duration.ofSeconds(5));
        lookup = new RegistryLookup(List.of(withCaFile ? settings.withCaCertificates(List.of(ca.certificate())) : settings),
                java.time.Clock.systemUTC(), Duration.ZERO);
        return lookup;
    }

    private String host() {
        return "localhost:" + tls.httpsPort();
    }

    private LookupResult lookUp(RegistryLookup lookup, String reference) {
        return lookup.lookup(ImageReference.parse(host() + "/" + reference), LookupOptions.ALL_PLATFORMS);
    }

    @Test
    void trustsARegistryCertificateSignedByItsCaFile() {
        new WireMockImages(tls, false).image("shop/api", "1", CREATED);

        assertThat(lookUp(lookup(true), "shop/api:1")).isInstanceOf(LookupResult.Found.class);
    }

    @Test
    void refusesTheSameCertificateWithoutTheCaFile() {
        new WireMockImages(tls, false).image("shop/api", "1", CREATED);

        LookupResult result = lookUp(lookup(false), "shop/api:1");

        assertThat(result).isInstanceOf(LookupResult.Failed.class);
        assertThat(((LookupResult.Failed) result).error().getMessage()).startsWith("could not verify")
                .contains("SSLHandshakeException");
        assertThat(tls.getAllServeEvents()).isEmpty();
    }

    @Test
    void refusesARedirectFromHttpsToPlainHttpAndSendsNothingThere() {
        Digest digest = manifestWhoseConfigRedirectsTo("http://127.0.0.1:" + plain.port() + "/storage/config");
        plain.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody(config())));

        LookupResult result = lookUp(lookup(true), "shop/api@" + digest);

        assertThat(result).isInstanceOf(LookupResult.Failed.class);
        assertThat(((LookupResult.Failed) result).error().getMessage()).contains("redirected from https to plain http");
        plain.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void followsARedirectToAnotherHostWithoutTheCredentials() {
        Digest digest = manifestWhoseConfigRedirectsTo("https://127.0.0.1:" + tls.httpsPort() + "/storage/config?sig=x");
        tls.stubFor(get(urlPathEqualTo("/storage/config")).willReturn(aResponse().withStatus(200).withBody(config())));

        LookupResult result = lookUp(lookup(true), "shop/api@" + digest);

        assertThat(result).isInstanceOf(LookupResult.Found.class);
        tls.verify(1, getRequestedFor(urlPathEqualTo("/storage/config")));
        tls.verify(0, getRequestedFor(urlPathEqualTo("/storage/config")).withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.matching(".*")));
    }

    @Test
    void sendsNoCredentialsToATokenRealmOverPlainHttp() {
        tls.stubFor(any(urlPathMatching("/v2/.*")).atPriority(1).withHeader("Authorization", absent())
                .willReturn(aResponse().withStatus(401).withHeader("WWW-Authenticate",
                        "Bearer realm=\"http://127.0.0.1:" + plain.port() + "/token\",service=\"registry\"")));
        plain.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("{\"token\":\"t\"}")));
        new WireMockImages(tls, false).image("shop/api", "1", CREATED);

        LookupResult result = lookUp(lookup(true), "shop/api:1");

        assertThat(result).isInstanceOf(LookupResult.Failed.class);
        assertThat(((LookupResult.Failed) result).error().getMessage()).contains("token realm is not https");
        plain.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void insecureMeansPlainHttpOnLoopbackAndNothingElse() {
        assertThatThrownBy(() -> new RegistrySettings("registry.example.com", RegistrySettings.Type.OCI,
                URI.create("http://registry.example.com"), null, null, true, 1, null)).hasMessageContaining("loopback");
        assertThatThrownBy(() -> new RegistrySettings("localhost", RegistrySettings.Type.OCI,
                URI.create("https://localhost:5000"), null, null, true, 1, null)).hasMessageContaining("plain http");
        assertThat(new RegistrySettings("x", RegistrySettings.Type.OCI, URI.create("http://[::1]:5000"), null, null,
                true, 1, null).insecure()).isTrue();
        assertThat(List.of("localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]")).allMatch(RegistrySettings::isLoopback);
        assertThat(List.of("127.0.0.1.nip.io", "localhost.example.com", "10.0.0.1", "128.0.0.1", "0.0.0.0"))
                .noneMatch(RegistrySettings::isLoopback);
    }

    private static byte[] config() {
        return ("{\"created\":\"" + CREATED + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** A manifest at its digest whose config blob answers 307 to {@code location} (for authenticated requests). */
    private Digest manifestWhoseConfigRedirectsTo(String location) {
        Digest configDigest = Digest.sha256(config());
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                + "\",\"size\":" + config().length + "},\"layers\":[]}").getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(manifest);
        tls.stubFor(get(urlPathEqualTo("/v2/shop/api/manifests/" + digest)).atPriority(2)
                .willReturn(aResponse().withStatus(200).withBody(manifest)));
        tls.stubFor(get(urlPathEqualTo("/v2/shop/api/blobs/" + configDigest)).atPriority(2)
                .willReturn(aResponse().withStatus(307).withHeader("Location", location)));
        return digest;
    }
}
