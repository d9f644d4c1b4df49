package dev.drawbridge.registry;

import dev.drawbridge.image.Digest;
import dev.drawbridge.image.ImageReference;

import java.util.List;
import java.util.Optional;

/**
 * What the registry says about one image: the digest its reference resolves to, its platform images
 * (one for a single-platform image; one per checked platform of an index) and the scan result.
 *
 * @param reference    the image as asked for
 * @param digest       the digest the reference resolved to (the index digest for a multi-arch image)
 * @param mediaType    media type of the top manifest
 * @param platforms    the image manifests that were checked, with their config's {@code created}
 * @param scan         the scan result attached to / recorded for the image, empty when none exists
 * @param sbomAttached whether an SBOM (CycloneDX or SPDX) is attached to the digest
 * @param untrusted    why attachments did not count where the registry names trusted keys (unsigned, signed by
 *                     another key, about another digest); empty otherwise
 */
public record ImageFacts(ImageReference reference, Digest digest, String mediaType, List<PlatformImage> platforms,
                         Optional<ScanReport> scan, boolean sbomAttached, UntrustedAttachments untrusted) {
    public ImageFacts {
        platforms = List.copyOf(platforms);
        scan = scan == null ? Optional.empty() : scan;
        untrusted = untrusted == null ? UntrustedAttachments.NONE : untrusted;
    }

    public ImageFacts(ImageReference reference, Digest digest, String mediaType, List<PlatformImage> platforms,
                      Optional<ScanReport> scan, boolean sbomAttached) {
        this(reference, digest, mediaType, platforms, scan, sbomAttached, UntrustedAttachments.NONE);
    }
}
