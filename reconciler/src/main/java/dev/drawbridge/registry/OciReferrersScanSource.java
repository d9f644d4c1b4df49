package dev.drawbridge.registry;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.drawbridge.image.Digest;
import dev.drawbridge.image.InvalidImageReferenceException;

/**
 * Scan results attached to a digest in any OCI registry: the referrers API
 * ({@code GET /v2/<name>/referrers/<digest>}) and, where it answers 404, the referrers tag schema (an index
 * at tag {@code sha256-<hex>}); where neither holds a report, cosign's tag scheme ({@code sha256-<hex>.att},
 * and {@code sha256-<hex>.sbom} when an SBOM is wanted). Every referrer's layers are read (bounded) and
 * recognised by content; SBOMs are recognised by artifact or layer media type.
 */
final class OciReferrersScanSource implements ScanSource {
    static final String CREATED_ANNOTATION = "org.opencontainers.image.created";

    private final OciDistributionClient oci;
    private final AtomicLong tagSchemaFallbacks;

    OciReferrersScanSource(OciDistributionClient oci, AtomicLong tagSchemaFallbacks) {
        this.oci = oci;
        this.tagSchemaFallbacks = tagSchemaFallbacks;
    }

    /**
     * Referrers are always read whole: SBOMs among them are seen whether asked for or not. Where they hold no
     * scan report, cosign's own tag scheme is read too (what {@code cosign attest} and {@code cosign attach sbom}
     * push without {@code --registry-referrers-mode}): attestations at tag {@code sha256-<hex>.att}, and, when
     * an SBOM is wanted and none was seen, an SBOM at tag {@code sha256-<hex>.sbom}.
     */
    @Override
    public ScanFacts find(String repository, Digest digest, boolean sbomWanted) throws RegistryException {
        Optional<JsonNode> index = oci.referrers(repository, digest);
        if (index.isEmpty()) {
            tagSchemaFallbacks.incrementAndGet();
            index = oci.findManifest(repository, digest.algorithm() + "-" + digest.hex()).map(Manifest::json);
        }
        List<ScanReport> reports = new ArrayList<>();
        boolean sbom = false;
        for (JsonNode descriptor : index.map(i -> i.path("manifests")).orElse(MissingNode.getInstance())) {
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
            sbom |= readLayers(repository, digest, json, annotated, reports);
        }
        String cosignTag = digest.algorithm() + "-" + digest.hex();
        if (reports.isEmpty()) {
            Optional<Manifest> attestations = oci.findManifest(repository, cosignTag + ".att");
            if (attestations.isPresent() && !attestations.get().isIndex()) {
                JsonNode json = attestations.get().json();
                readLayers(repository, digest, json, created(json.path("annotations")), reports);
            }
        }
        if (sbomWanted && !sbom) {
            Optional<Manifest> attached = oci.findManifest(repository, cosignTag + ".sbom");
            sbom = attached.isPresent() && !attached.get().isIndex() && hasSbomLayer(attached.get().json());
        }
        return new ScanFacts(ScanReports.newest(reports), sbom);
    }

    /** Recognises every layer of {@code manifest} that may be a report; true when one of them is an SBOM. */
    private boolean readLayers(String repository, Digest digest, JsonNode manifest, Instant annotated,
                               List<ScanReport> reports) throws RegistryException {
        boolean sbom = false;
        for (JsonNode layer : manifest.path("layers")) {
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
        return sbom;
    }

    /** cosign's SBOM media types: CycloneDX and SPDX, JSON or not ({@code cosign attach sbom --type}). */
    private static boolean hasSbomLayer(JsonNode manifest) {
        for (JsonNode layer : manifest.path("layers")) {
            String mediaType = String.valueOf(Json.text(layer, "mediaType")).split(";", 2)[0].strip();
            if (MediaTypes.isSbom(mediaType) || mediaType.startsWith("application/vnd.cyclonedx")
                    || mediaType.startsWith("text/spdx") || mediaType.startsWith("application/spdx")) {
                return true;
            }
        }
        return false;
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
