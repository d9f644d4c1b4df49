package dev.drawbridge.image;

import dev.drawbridge.hash.Sha256;

import java.util.regex.Pattern;

/** A content digest such as {@code sha256:4f2c...}. Validated on construction. */
public record Digest(String algorithm, String hex) {

    private static final Pattern ALGORITHM = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*");
    private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern SHA384 = Pattern.compile("[a-f0-9]{96}");
    private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");
    private static final Pattern ENCODED = Pattern.compile("[a-zA-Z0-9=_-]{32,}");

    public Digest {
        if (algorithm == null || hex == null) {
            throw new InvalidImageReferenceException(algorithm + ":" + hex, "digest has no algorithm or value");
        }
        String input = algorithm + ":" + hex;
        if (!ALGORITHM.matcher(algorithm).matches()) {
            throw new InvalidImageReferenceException(input, "invalid digest algorithm '" + algorithm + "'");
        }
        boolean ok = switch (algorithm) {
            case "sha256" -> SHA256.matcher(hex).matches();
            case "sha384" -> SHA384.matcher(hex).matches();
            case "sha512" -> SHA512.matcher(hex).matches();
            default -> ENCODED.matcher(hex).matches();
        };
        if (!ok) {
            throw new InvalidImageReferenceException(input, "invalid digest value for " + algorithm);
        }
    }

    /** Parses {@code algorithm:hex}; refuses anything else with the input in the message. */
    public static Digest of(String value) {
        if (value == null) {
            throw new InvalidImageReferenceException("null", "digest is missing");
        }
        int colon = value.indexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new InvalidImageReferenceException(value, "invalid digest, expected algorithm:hex");
        }
        return new Digest(value.substring(0, colon), value.substring(colon + 1));
    }

    /** Digest of raw content, e.g. a manifest body. */
    public static Digest sha256(byte[] content) {
        return new Digest("sha256", Sha256.hex(content));
    }

    /** Short form for humans: {@code sha256:4f2c1a9b0e3d}. */
    public String shortForm() {
        return algorithm + ":" + hex.substring(0, Math.min(12, hex.length()));
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
