package dev.drawbridge.registry;

import dev.drawbridge.image.Severity;

/**
 * One vulnerability finding of a scan.
 *
 * @param id               e.g. {@code CVE-2026-1234}
 * @param pkg              affected package name
 * @param installedVersion installed version of the package (may be null)
 * @param fixedVersion     version that fixes it; null or blank when there is no fix yet
 * @param severity         normalised severity
 */
public record Finding(String id, String pkg, String installedVersion, String fixedVersion, Severity severity) {
    public boolean hasFix() {
        return fixedVersion != null && !fixedVersion.isBlank();
    }
}
