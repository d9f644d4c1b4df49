package dev.drawbridge.registry;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.image.Digest;
import dev.drawbridge.image.InvalidImageReferenceException;

/**
 * Reads the manifest at a digest and the image config of every platform to check: one for an image
 * manifest, one per platform of an index (attestation manifests {@code unknown/unknown} skipped, filtered by
 * the environment's platforms when it names some).
 */
final class ArtifactInspector {

    /** The top manifest and the platform images that were checked. */
    record Inspected(Manifest manifest, List<PlatformImage> platforms) {
    }

    private final OciDistributionClient oci;

    ArtifactInspector(OciDistributionClient oci) {
        this.oci = oci;
    }

    /** @param prefetched the manifest at {@code digest} when the tag resolution already read it, else null */
    Inspected inspect(String repository, Digest digest, LookupOptions options, Manifest prefetched)
            throws RegistryException {
        Manifest top = prefetched != null && prefetched.digest().equals(digest) ? prefetched
                : oci.fetchManifest(repository, digest.toString());
        if (!top.isIndex()) {
            return new Inspected(top, List.of(image(repository, null, top)));
        }
        Map<String, Digest> platforms = platforms(repository, top);
        for (String wanted : options.platforms()) {
            if (platforms.keySet().stream().noneMatch(p -> matches(p, wanted))) {
                throw oci.http().failure(repository, 200, "platform " + wanted + " is not in the image index "
                        + digest.shortForm() + " (it has " + String.join(", ", platforms.keySet()) + ")");
            }
        }
        List<PlatformImage> checked = new ArrayList<>();
        for (Map.Entry<String, Digest> p : platforms.entrySet()) {
            if (options.platforms().isEmpty() || options.platforms().stream().anyMatch(w -> matches(p.getKey(), w))) {
                Manifest manifest = oci.fetchManifest(repository, p.getValue().toString());
                if (manifest.isIndex()) {
                    throw oci.http().failure(repository, 200, "platform " + p.getKey() + " of " + digest.shortForm()
                            + " is itself an index; nested indexes are not supported");
                }
                checked.add(image(repository, p.getKey(), manifest));
            }
        }
        if (checked.isEmpty()) {
            throw oci.http().failure(repository, 200, "the image index " + digest.shortForm() + " lists no platform image");
        }
        return new Inspected(top, checked);
    }

    private Map<String, Digest> platforms(String repository, Manifest index) throws RegistryException {
        Map<String, Digest> platforms = new LinkedHashMap<>();
        for (JsonNode entry : index.json().path("manifests")) {
            JsonNode platform = entry.path("platform");
            String os = Json.text(platform, "os");
            String arch = Json.text(platform, "architecture");
            if ("unknown".equals(os) || os == null || arch == null) {
                continue; // buildkit attestation manifests and entries that are no runnable image
            }
            String variant = Json.text(platform, "variant");
            String name = os + "/" + arch + (variant == null || variant.isBlank() ? "" : "/" + variant);
            platforms.putIfAbsent(name, digest(repository, Json.text(entry, "digest"), "platform " + name));
        }
        return platforms;
    }

    /** {@code linux/arm64} matches {@code linux/arm64/v8}; a named variant must match exactly. */
    static boolean matches(String platform, String wanted) {
        return platform.equals(wanted) || platform.startsWith(wanted + "/");
    }

    private PlatformImage image(String repository, String platform, Manifest manifest) throws RegistryException {
        String configDigest = Json.text(manifest.json().path("config"), "digest");
        String what = "the image config of " + manifest.digest().shortForm();
        Digest config = digest(repository, configDigest, what);
        byte[] body = oci.fetchBlob(repository, config, OciDistributionClient.CONFIG_MAX_BYTES, what);
        JsonNode json = Json.parse(body, () -> oci.http().failure(repository, 200,
                "registry answered malformed JSON for " + what));
        Instant created;
        try {
            created = Json.time(Json.text(json, "created"));
        } catch (DateTimeException e) {
            throw oci.http().failure(repository, 200, what + " has an invalid created time");
        }
        return new PlatformImage(platform, manifest.digest(), created);
    }

    private Digest digest(String repository, String value, String what) throws RegistryException {
        if (value == null) {
            throw oci.http().failure(repository, 200, "the manifest names no digest for " + what);
        }
        try {
            return Digest.of(value);
        } catch (InvalidImageReferenceException e) {
            throw oci.http().failure(repository, 200, "the manifest names an invalid digest for " + what);
        }
    }
}
