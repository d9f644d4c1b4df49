package dev.drawbridge.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.common.Slf4jNotifier;
import dev.drawbridge.image.Digest;

/** Serves images over the OCI distribution API from WireMock, optionally behind a Bearer token flow. */
final class WireMockImages {
    static final String TOKEN = "tok-SECRET-0123456789";

    private final WireMockServer server;
    private final boolean tokenFlow;

    WireMockImages(WireMockServer server, boolean tokenFlow) {
        this.server = server;
        this.tokenFlow = tokenFlow;
    }

    static WireMockServer startServer() {
        WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
                .notifier(new Slf4jNotifier(false)).containerThreads(40).jettyAcceptors(2));
        server.start();
        return server;
    }

    /** 401 with a Bearer challenge for /v2 requests without the token; the token at /service/token. */
    void stubTokenFlow() {
        server.stubFor(any(urlPathMatching("/v2/.*")).atPriority(10).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Bearer realm=\"" + server.baseUrl()
                        + "/service/token\",service=\"harbor-registry\",scope=\"repository:shop/api:pull\"")));
        server.stubFor(get(urlPathEqualTo("/service/token")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"token\":\"" + TOKEN + "\",\"expires_in\":1800}")));
    }

    /** An image manifest (with a config holding {@code created}) at {@code tag} and at its digest. */
    Digest image(String repository, String tag, Instant created) {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"" + created
                + "\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}").getBytes(StandardCharsets.UTF_8);
        Digest configDigest = Digest.sha256(config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                + configDigest + "\",\"size\":" + config.length + "},\"layers\":[]}").getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(manifest);
        manifests.put(digest, manifest);
        String base = "/v2/" + repository;
        server.stubFor(auth(any(urlPathEqualTo(base + "/manifests/" + tag))).willReturn(manifestResponse(manifest, digest)));
        server.stubFor(auth(get(urlPathEqualTo(base + "/manifests/" + digest))).willReturn(manifestResponse(manifest, digest)));
        server.stubFor(auth(get(urlPathEqualTo(base + "/blobs/" + configDigest))).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/octet-stream").withBody(config)));
        return digest;
    }

    /** Another tag for the same manifest. */
    void tag(String repository, String tag, Digest digest) {
        server.stubFor(auth(any(urlPathEqualTo("/v2/" + repository + "/manifests/" + tag)))
                .willReturn(manifestResponse(manifests.get(digest), digest)));
    }

    /** The OCI referrers index of {@code digest}: one descriptor per artifact type given. */
    void referrers(String repository, Digest digest, String... artifactTypes) {
        StringBuilder manifests = new StringBuilder();
        for (String type : artifactTypes) {
            manifests.append(manifests.isEmpty() ? "" : ",").append("{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",")
                    .append("\"digest\":\"").append(Digest.sha256((type + digest).getBytes())).append("\",\"size\":512,")
                    .append("\"artifactType\":\"").append(type).append("\"}");
        }
        server.stubFor(auth(get(urlPathEqualTo("/v2/" + repository + "/referrers/" + digest))).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/vnd.oci.image.index.v1+json")
                .withBody("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
                        + manifests + "]}")));
    }

    /** The configs and manifests this stand-in serves, by digest. */
    private final java.util.Map<Digest, byte[]> manifests = new java.util.concurrent.ConcurrentHashMap<>();

    private MappingBuilder auth(MappingBuilder mapping) {
        return tokenFlow ? mapping.withHeader("Authorization", equalTo("Bearer " + TOKEN)).atPriority(1) : mapping;
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder manifestResponse(byte[] manifest,
                                                                                                   Digest digest) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .withHeader("Docker-Content-Digest", digest.toString()).withBody(manifest);
    }
}
