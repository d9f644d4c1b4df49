package dev.drawbridge.registry;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.image.Digest;
import dev.drawbridge.image.InvalidImageReferenceException;

/**
 * Scan results attached to a digest in any OCI registry: the referrers API
 * ({@code GET /v2/<name>/referrers/<digest>}) and, where it answers 404, the referrers tag schema (an index
 * at tag {@code sha256-<hex>}). Every referrer's layers are read (bounded) and recognised by content; SBOMs
 * are recognised by artifact or layer media type.
 */
final class OciReferrersScanSource implements ScanSource {
    static final String CREATED_ANNOTATION = "org.opencontainers.image.created";

    private final OciDistributionClient oci;
    private final AtomicLong tagSchemaFallbacks;

    OciReferrersScanSource(OciDistributionClient oci, AtomicLong tagSchemaFallbacks) {
        this.oci = oci;
        this.tagSchemaFallbacks = tagSchemaFallbacks;
    }

    /** Referrers are always read whole: SBOMs among them are seen whether asked for or not. */
    @Override
    public ScanFacts find(String repository, Digest digest, boolean sbomWanted) throws RegistryException {
        Optional<JsonNode> index = oci.referrers(repository, digest);
        if (index.isEmpty()) {
            tagSchemaFallbacks.incrementAndGet();
            index = oci.findManifest(repository, digest.algorithm() + "-" + digest.hex()).map(Manifest::json);
        }
        if (index.isEmpty()) {
            return ScanFacts.NONE;
        }
        List<ScanReport> reports = new ArrayList<>();
        boolean sbom = false;
        for (JsonNode descriptor : index.get().path("manifests")) {
            if (MediaTypes.isSbom(Json.text(descriptor, "artifactType"))) {
                sbom = true;
                continue;
            }
            Digest referrer = digest(repository, Json.text(descriptor, "digest"));
            Optional<Manifest> manifest = oci.findManifest(repository, referrer.toString());
            if (manifest.isEmpty() || manifest.get().isIndex()) {
                continue; // a referrer deleted after the tag schema index was written, or a nested index
            }
            JsonNode json = manifest.get().json();
            if (MediaTypes.isSbom(Json.text(json, "artifactType"))
                    || MediaTypes.isSbom(Json.text(json.path("config"), "mediaType"))) {
                sbom = true;
                continue;
            }
            Instant annotated = created(json.path("annotations"), descriptor.path("annotations"));
            for (JsonNode layer : json.path("layers")) {
                String mediaType = Json.text(layer, "mediaType");
                if (MediaTypes.isSbom(mediaType)) {
                    sbom = true;
                    continue;
                }
                if (!mayBeJson(mediaType) || layer.path("size").asLong(0) > OciDistributionClient.REPORT_MAX_BYTES) {
                    continue;
                }
                Digest layerDigest = digest(repository, Json.text(layer, "digest"));
                byte[] content = oci.fetchBlob(repository, layerDigest, OciDistributionClient.REPORT_MAX_BYTES,
                        "attachment " + layerDigest.shortForm() + " of " + digest.shortForm());
                ReportRecognizer.recognise(content, annotated).ifPresent(reports::add);
            }
        }
        return new ScanFacts(ScanReports.newest(reports), sbom);
    }

    /** Image layers (tar, gzip, zstd) are never reports; everything else is read and recognised by content. */
    private static boolean mayBeJson(String mediaType) {
        if (mediaType == null) {
            return true;
        }
        return !(mediaType.contains("tar") || mediaType.endsWith("gzip") || mediaType.endsWith("zstd"));
    }

    private static Instant created(JsonNode... annotations) {
        for (JsonNode a : annotations) {
            try {
                Instant t = Json.time(Json.text(a, CREATED_ANNOTATION));
                if (t != null) {
                    return t;
                }
            } catch (DateTimeException e) {
                // an unreadable annotation is as good as none
            }
        }
        return null;
    }

    private Digest digest(String repository, String value) throws RegistryException {
        try {
            return Digest.of(value);
        } catch (InvalidImageReferenceException e) {
            throw oci.http().failure(repository, 200, "a referrer names an invalid digest");
        }
    }
}
