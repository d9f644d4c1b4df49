package dev.drawbridge.registry;

import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.image.Digest;
import dev.drawbridge.image.InvalidImageReferenceException;

/**
 * The OCI distribution API of one registry: tag to digest, manifests (verified against their digest),
 * blobs (verified and bounded) and the referrers API.
 */
final class OciDistributionClient {
    static final long MANIFEST_MAX_BYTES = 4L << 20;
    static final long CONFIG_MAX_BYTES = 8L << 20;
    static final long REPORT_MAX_BYTES = 64L << 20;

    private final RegistryHttp http;

    OciDistributionClient(RegistryHttp http) {
        this.http = http;
    }

    RegistryHttp http() {
        return http;
    }

    /**
     * The manifest a tag points at now, with its verified digest: one GET, whose body the lookup then
     * reuses (a HEAD first would cost a round trip more per image).
     */
    Manifest manifestForTag(String repository, String tag) throws RegistryException {
        return findManifest(repository, tag).orElseThrow(() -> http.failure(repository, 404,
                "tag " + tag + " was not found (404)"));
    }

    /** GETs a manifest by tag or digest and verifies its content digest. Throws on 404. */
    Manifest fetchManifest(String repository, String reference) throws RegistryException {
        return findManifest(repository, reference).orElseThrow(() -> http.failure(repository, 404,
                "manifest " + reference + " was not found (404)"));
    }

    /** Like {@link #fetchManifest} but empty when the registry answers 404. */
    Optional<Manifest> findManifest(String repository, String reference) throws RegistryException {
        String what = "manifest " + reference;
        RegistryHttp.Response response = http.send(request("GET", repository, "/manifests/" + reference,
                MANIFEST_MAX_BYTES, what));
        if (response.status() == 404) {
            return Optional.empty();
        }
        if (response.status() != 200) {
            throw http.failure(repository, response.status(), "registry answered " + response.status() + " for " + what);
        }
        Digest actual = Digest.sha256(response.body());
        Optional<Digest> header = response.header("Docker-Content-Digest").map(h -> digestOrNull(h));
        if (reference.startsWith("sha256:")) {
            if (!actual.toString().equals(reference)) {
                throw http.failure(repository, 200, what + " has digest " + actual + ", not the digest asked for");
            }
        } else if (header.isPresent() && header.get() != null && header.get().algorithm().equals("sha256")
                && !header.get().equals(actual)) {
            throw http.failure(repository, 200, what + " has digest " + actual
                    + " but the registry says " + header.get());
        }
        JsonNode json = Json.parse(response.body(), () -> http.failure(repository, 200,
                "registry answered malformed JSON for " + what));
        String mediaType = Json.text(json, "mediaType");
        if (mediaType == null) {
            mediaType = response.header("Content-Type").map(c -> c.split(";", 2)[0].strip()).orElse(null);
        }
        if (json.path("schemaVersion").asInt() != 2) {
            throw http.failure(repository, 200, what + " is not an OCI or Docker v2 manifest (schemaVersion "
                    + json.path("schemaVersion").asText("missing") + ")");
        }
        return Optional.of(new Manifest(actual, mediaType, response.body(), json));
    }

    /** GETs a blob, bounded, and verifies it has the digest asked for. */
    byte[] fetchBlob(String repository, Digest digest, long maxBytes, String what) throws RegistryException {
        RegistryHttp.Response response = http.send(new RegistryHttp.Request("GET",
                http.uri("/v2/" + repository + "/blobs/" + digest), Map.of("Accept", "*/*"), maxBytes, repository, what,
                RegistryHttp.Auth.CHALLENGE));
        if (response.status() != 200) {
            throw http.failure(repository, response.status(), "registry answered " + response.status() + " for " + what);
        }
        if (digest.algorithm().equals("sha256") && !Digest.sha256(response.body()).equals(digest)) {
            throw http.failure(repository, 200, what + " does not match its digest " + digest);
        }
        return response.body();
    }

    /** The referrers API: the index of artifacts whose subject is {@code digest}; empty when it answers 404. */
    Optional<JsonNode> referrers(String repository, Digest digest) throws RegistryException {
        String what = "referrers of " + digest.shortForm();
        RegistryHttp.Response response = http.send(new RegistryHttp.Request("GET",
                http.uri("/v2/" + repository + "/referrers/" + digest),
                Map.of("Accept", MediaTypes.OCI_INDEX), MANIFEST_MAX_BYTES, repository, what, RegistryHttp.Auth.CHALLENGE));
        if (response.status() == 404) {
            return Optional.empty();
        }
        if (response.status() != 200) {
            throw http.failure(repository, response.status(), "registry answered " + response.status() + " for " + what);
        }
        return Optional.of(Json.parse(response.body(), () -> http.failure(repository, 200,
                "registry answered malformed JSON for " + what)));
    }

    private RegistryHttp.Request request(String method, String repository, String suffix, long max, String what) {
        return new RegistryHttp.Request(method, http.uri("/v2/" + repository + suffix),
                Map.of("Accept", MediaTypes.MANIFEST_ACCEPT), max, repository, what, RegistryHttp.Auth.CHALLENGE);
    }

    private Digest digest(String repository, String value, String what) throws RegistryException {
        try {
            return Digest.of(value.strip());
        } catch (InvalidImageReferenceException e) {
            throw http.failure(repository, 200, "registry answered an invalid digest for " + what);
        }
    }

    private static Digest digestOrNull(String value) {
        try {
            return Digest.of(value.strip());
        } catch (InvalidImageReferenceException e) {
            return null;
        }
    }
}
