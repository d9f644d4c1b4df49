package dev.drawbridge.registry;

import java.util.Optional;

/** What a scan source found for one digest: the scan report, if any, and whether an SBOM is attached. */
record ScanFacts(Optional<ScanReport> scan, boolean sbomAttached) {
    static final ScanFacts NONE = new ScanFacts(Optional.empty(), false);
}
