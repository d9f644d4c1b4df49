package dev.drawbridge.hash;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 in lower-case hex, of bytes or of a text's UTF-8; {@link #start} and {@link #finish} for content fed in
 * pieces. Every JVM has SHA-256, so its absence is an {@link IllegalStateException}, not a checked exception.
 */
public final class Sha256 {

    private static final HexFormat HEX = HexFormat.of();

    private Sha256() {
    }

    /** The 32 bytes of the SHA-256 of {@code content}. */
    public static byte[] bytes(byte[] content) {
        return start().digest(content);
    }

    /** The 32 bytes of the SHA-256 of {@code text}'s UTF-8. */
    public static byte[] bytes(String text) {
        return bytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The SHA-256 of {@code content}: 64 lower-case hex digits. */
    public static String hex(byte[] content) {
        return HEX.formatHex(bytes(content));
    }

    /** The SHA-256 of {@code text}'s UTF-8: 64 lower-case hex digits. */
    public static String hex(String text) {
        return HEX.formatHex(bytes(text));
    }

    /** A fresh SHA-256 digest, to be fed with {@link MessageDigest#update} and read with {@link #finish}. */
    public static MessageDigest start() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The SHA-256 of what {@code digest} was fed, in lower-case hex; the digest is reset. */
    public static String finish(MessageDigest digest) {
        return HEX.formatHex(digest.digest());
    }
}
