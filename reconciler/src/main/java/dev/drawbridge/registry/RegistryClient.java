package dev.drawbridge.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

import dev.drawbridge.image.Digest;

/** Everything needed to ask one registry about a digest: distribution API, config reader and scan source. */
final class RegistryClient {
    private final RegistryHttp http;
    private final OciDistributionClient oci;
    private final ArtifactInspector inspector;
    private final ScanSource scans;

    RegistryClient(RegistrySettings settings, HttpTransport transport, TokenCache tokens, AtomicLong requests,
                   AtomicLong tagSchemaFallbacks) {
        this.http = new RegistryHttp(settings, transport, tokens, requests);
        this.oci = new OciDistributionClient(http);
        this.inspector = new ArtifactInspector(oci);
        this.scans = settings.type() == RegistrySettings.Type.HARBOR ? new HarborScanSource(http, oci)
                : new OciReferrersScanSource(oci, tagSchemaFallbacks, settings.signedBy());
    }

    RegistryHttp http() {
        return http;
    }

    /**
     * Harbor only: the facts of a tag in one request (see {@link HarborScanSource#findTagged}); empty for
     * other registries and where Harbor's answer is not enough.
     */
    Optional<DigestFacts> loadTagged(String repository, String tag, boolean sbom) throws RegistryException {
        checkTransport(repository);
        return scans instanceof HarborScanSource harbor ? harbor.findTagged(repository, tag, sbom) : Optional.empty();
    }

    Manifest resolveTag(String repository, String tag) throws RegistryException {
        checkTransport(repository);
        return oci.manifestForTag(repository, tag);
    }

    /**
     * The facts of a digest. For an index with no scan at the index digest, every checked platform digest
     * must have one; the per-platform reports are combined.
     */
    DigestFacts load(String repository, Digest digest, LookupOptions options, Manifest prefetched,
                     Executor parallel) throws RegistryException {
        checkTransport(repository);
        // the scan source needs only the digest: ask it while the manifests and configs are read
        CompletableFuture<ScanFacts> scanAtDigest = CompletableFuture.supplyAsync(() -> {
            try {
                return scans.find(repository, digest, options.sbom());
            } catch (RegistryException e) {
                throw new CompletionException(e);
            }
        }, parallel);
        ArtifactInspector.Inspected inspected;
        try {
            inspected = inspector.inspect(repository, digest, options, prefetched);
        } catch (RegistryException | RuntimeException e) {
            scanAtDigest.cancel(true);
            throw e;
        }
        ScanFacts top = Futures.join(scanAtDigest);
        Optional<ScanReport> scan = top.scan();
        boolean sbom = top.sbomAttached();
        UntrustedAttachments untrusted = top.untrusted();
        if (scan.isEmpty() && inspected.manifest().isIndex()) {
            List<ScanReport> perPlatform = new ArrayList<>();
            boolean everySbom = true;
            boolean everyScan = true;
            for (PlatformImage platform : inspected.platforms()) {
                ScanFacts facts = scans.find(repository, platform.digest(), options.sbom());
                everySbom &= facts.sbomAttached();
                untrusted = untrusted.and(facts.untrusted());
                facts.scan().ifPresent(perPlatform::add);
                everyScan &= facts.scan().isPresent();
            }
            scan = everyScan ? Optional.of(ScanReports.combine(perPlatform)) : Optional.empty();
            sbom = sbom || everySbom;
        }
        return new DigestFacts(inspected.manifest().digest(), inspected.manifest().mediaType(), inspected.platforms(),
                scan, sbom, untrusted);
    }

    private void checkTransport(String repository) throws RegistryException {
        RegistrySettings settings = http.settings();
        if ("http".equalsIgnoreCase(settings.url().getScheme()) && !settings.insecure()) {
            throw http.failure(repository, 0, "the registry URL " + settings.url()
                    + " is plain http; set insecure: true to allow that (loopback tests only)");
        }
    }
}
