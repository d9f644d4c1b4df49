package dev.drawbridge.registry;

import java.util.List;
import java.util.Optional;

import dev.drawbridge.image.Digest;
import dev.drawbridge.image.ImageReference;

/** What the registry says about one digest; cached by registry, repository, digest and platforms. */
record DigestFacts(Digest digest, String mediaType, List<PlatformImage> platforms, Optional<ScanReport> scan,
                   boolean sbomAttached, UntrustedAttachments untrusted) {

    DigestFacts(Digest digest, String mediaType, List<PlatformImage> platforms, Optional<ScanReport> scan,
                boolean sbomAttached) {
        this(digest, mediaType, platforms, scan, sbomAttached, UntrustedAttachments.NONE);
    }

    ImageFacts forReference(ImageReference reference) {
        return new ImageFacts(reference, digest, mediaType, platforms, scan, sbomAttached, untrusted);
    }
}
