package dev.drawbridge.image;

import java.util.Locale;

/** Vulnerability severity, worst first. Shared vocabulary of scan results (registry) and policies. */
public enum Severity {
    CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN;

    /** Lenient parse of scanner spellings: {@code Critical}, {@code HIGH}, {@code negligible}, {@code None}. */
    public static Severity fromScanner(String value) {
        if (value == null) {
            return UNKNOWN;
        }
        return switch (value.trim().toUpperCase(Locale.ROOT)) {
            case "CRITICAL" -> CRITICAL;
            case "HIGH" -> HIGH;
            case "MEDIUM", "MODERATE" -> MEDIUM;
            case "LOW", "NEGLIGIBLE", "NONE" -> LOW;
            default -> UNKNOWN;
        };
    }

    /** Strict parse for policy files: exactly one of the constant names. */
    public static Severity strict(String value) {
        for (Severity s : values()) {
            if (s.name().equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown severity '" + value + "' (expected CRITICAL, HIGH, MEDIUM, LOW or UNKNOWN)");
    }
}
