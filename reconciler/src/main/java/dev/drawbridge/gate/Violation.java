package dev.drawbridge.gate;

import dev.drawbridge.image.Severity;

/**
 * One broken rule, with what a human needs to act on it.
 *
 * @param rule     rule name, e.g. {@code scan.severity}, {@code registry.allowed}
 * @param message  what is wrong, e.g. {@code CVE-2026-1234 CRITICAL in openssl 3.0.13 (fixed in 3.0.15)}
 * @param fix      how to fix it, e.g. {@code rebuild the image with openssl 3.0.15 or later}
 * @param id       vulnerability id when the rule is about one, else null
 * @param severity severity of that vulnerability, else null
 * @param pkg      affected package, else null
 * @param fixedIn  version that fixes it, else null
 */
public record Violation(String rule, String message, String fix, String id, Severity severity, String pkg,
                        String fixedIn) {

    public static Violation of(String rule, String message, String fix) {
        return new Violation(rule, message, fix, null, null, null, null);
    }
}
