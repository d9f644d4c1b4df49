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
 *
 * <p>Where the registry names trusted keys ({@code signed-by}), a report or an SBOM counts only when it is a
 * DSSE envelope signed by one of them over an in-toto statement about the digest ({@link AttestationVerifier});
 * everything else is no report, and the reason is kept ({@link UntrustedAttachments}) so the gate can say so.
 */
final class OciReferrersScanSource implements ScanSource {
    static final String CREATED_ANNOTATION = "org.opencontainers.image.created";

    private final OciDistributionClient oci;
    private final AtomicLong tagSchemaFallbacks;
    private final AttestationVerifier verifier; // null: attachments are read unsigned

    /** What reading one digest's attachments found so far. */
    private static final class Found {
        final List<ScanReport> reports = new ArrayList<>();
        final List<String> untrustedReports = new ArrayList<>();
        final List<String> untrustedSboms = new ArrayList<>();
        boolean sbom;

        UntrustedAttachments untrusted() {
            return new UntrustedAttachments(untrustedReports, untrustedSboms);
        }
    }

    OciReferrersScanSource(OciDistributionClient oci, AtomicLong tagSchemaFallbacks) {
        this(oci, tagSchemaFallbacks, List.of());
    }

    OciReferrersScanSource(OciDistributionClient oci, AtomicLong tagSchemaFallbacks, List<TrustedKey> signedBy) {
        this.oci = oci;
        this.tagSchemaFallbacks = tagSchemaFallbacks;
        this.verifier = signedBy.isEmpty() ? null : new AttestationVerifier(signedBy);
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
        Found found = new Found();
        for (JsonNode descriptor : index.map(i -> i.path("manifests")).orElse(MissingNode.getInstance())) {
            boolean sbomArtifact = MediaTypes.isSbom(Json.text(descriptor, "artifactType"));
            if (sbomArtifact && verifier == null) {
                found.sbom = true;
                continue;
            }
            Digest referrer = digest(repository, Json.text(descriptor, "digest"));
            Optional<Manifest> manifest = oci.findManifest(repository, referrer.toString());
            if (manifest.isEmpty() || manifest.get().isIndex()) {
                continue; // a referrer deleted after the tag schema index was written, or a nested index
            }
            JsonNode json = manifest.get().json();
            sbomArtifact |= MediaTypes.isSbom(Json.text(json, "artifactType"))
                    || MediaTypes.isSbom(Json.text(json.path("config"), "mediaType"));
            if (sbomArtifact && verifier == null) {
                found.sbom = true;
                continue;
            }
            Instant annotated = created(json.path("annotations"), descriptor.path("annotations"));
            readLayers(repository, digest, json, annotated, sbomArtifact, found);
        }
        String cosignTag = digest.algorithm() + "-" + digest.hex();
        if (found.reports.isEmpty() || (verifier != null && sbomWanted && !found.sbom)) {
            Optional<Manifest> attestations = oci.findManifest(repository, cosignTag + ".att");
            if (attestations.isPresent() && !attestations.get().isIndex()) {
                JsonNode json = attestations.get().json();
                readLayers(repository, digest, json, created(json.path("annotations")), false, found);
            }
        }
        if (sbomWanted && !found.sbom) {
            Optional<Manifest> attached = oci.findManifest(repository, cosignTag + ".sbom");
            boolean present = attached.isPresent() && !attached.get().isIndex() && hasSbomLayer(attached.get().json());
            if (present && verifier != null) {
                found.untrustedSboms.add("an SBOM attached unsigned (cosign attach sbom), not a signed attestation");
            } else {
                found.sbom = present;
            }
        }
        return new ScanFacts(ScanReports.newest(found.reports), found.sbom, found.untrusted());
    }

    /** Recognises every layer of {@code manifest} that may be a report or an SBOM. */
    private void readLayers(String repository, Digest digest, JsonNode manifest, Instant annotated, boolean sbomArtifact,
                            Found found) throws RegistryException {
        for (JsonNode layer : manifest.path("layers")) {
            String mediaType = Json.text(layer, "mediaType");
            boolean sbomLayer = sbomArtifact || MediaTypes.isSbom(mediaType);
            if (sbomLayer && verifier == null) {
                found.sbom = true;
                continue;
            }
            if (!mayBeJson(mediaType)) {
                continue;
            }
            if (layer.path("size").asLong(0) > OciDistributionClient.REPORT_MAX_BYTES) {
                if (verifier != null) {
                    (sbomLayer ? found.untrustedSboms : found.untrustedReports).add("an attachment larger than the "
                            + (OciDistributionClient.REPORT_MAX_BYTES >> 20) + " MiB limit, not read");
                }
                continue;
            }
            Digest layerDigest = digest(repository, Json.text(layer, "digest"));
            byte[] content = oci.fetchBlob(repository, layerDigest, OciDistributionClient.REPORT_MAX_BYTES,
                    "attachment " + layerDigest.shortForm() + " of " + digest.shortForm());
            if (verifier == null) {
                ReportRecognizer.recognise(content, annotated).ifPresent(found.reports::add);
                continue;
            }
            AttestationVerifier.Outcome outcome = verifier.verify(content, digest);
            if (outcome instanceof AttestationVerifier.Trusted trusted) {
                if (ReportRecognizer.isSbomStatement(trusted.statement())) {
                    found.sbom = true;
                } else {
                    Optional<ScanReport> report = ReportRecognizer.fromStatement(trusted.statement(), annotated);
                    report.ifPresent(found.reports::add);
                    if (report.isEmpty() && ReportRecognizer.COSIGN_VULN_PREDICATE.equals(
                            Json.text(trusted.statement(), "predicateType"))) {
                        found.untrustedReports.add("a signed vuln attestation whose predicate.scanner.result is not a Trivy report");
                    }
                }
            } else if (outcome instanceof AttestationVerifier.Untrusted untrusted) {
                (sbomLayer ? found.untrustedSboms : found.untrustedReports).add(untrusted.reason());
            }
        }
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
