package dev.drawbridge.registry;

import java.util.Optional;

/**
 * What a scan source found for one digest: the scan report, if any, whether an SBOM is attached, and why
 * attachments did not count (where signatures are verified).
 */
record ScanFacts(Optional<ScanReport> scan, boolean sbomAttached, UntrustedAttachments untrusted) {
    static final ScanFacts NONE = new ScanFacts(Optional.empty(), false);

    ScanFacts {
        untrusted = untrusted == null ? UntrustedAttachments.NONE : untrusted;
    }

    ScanFacts(Optional<ScanReport> scan, boolean sbomAttached) {
        this(scan, sbomAttached, UntrustedAttachments.NONE);
    }
}
