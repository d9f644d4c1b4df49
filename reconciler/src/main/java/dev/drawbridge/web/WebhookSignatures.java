package dev.drawbridge.web;

import dev.drawbridge.hash.Sha256;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Whether a webhook delivery comes from the forge that knows the secret. Every comparison takes the same
 * time whatever the input ({@link MessageDigest#isEqual}), so the secret cannot be guessed byte by byte.
 */
final class WebhookSignatures {

    private WebhookSignatures() {
    }

    /** GitHub: {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>}. */
    static boolean github(String secret, byte[] body, String header) {
        if (header == null || !header.regionMatches(true, 0, "sha256=", 0, 7)) {
            return false;
        }
        return hmacMatches(secret, body, header.substring(7));
    }

    /** Gitea and Forgejo: {@code X-Gitea-Signature: <hex HMAC-SHA256 of the raw body>}. */
    static boolean gitea(String secret, byte[] body, String header) {
        return header != null && hmacMatches(secret, body, header);
    }

    /** GitLab: {@code X-Gitlab-Token} is the secret itself. Digests are compared, so the length leaks nothing either. */
    static boolean gitlab(String secret, String token) {
        if (secret == null || secret.isEmpty() || token == null) {
            return false;
        }
        return MessageDigest.isEqual(Sha256.bytes(secret), Sha256.bytes(token));
    }

    static byte[] hmacSha256(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static boolean hmacMatches(String secret, byte[] body, String hex) {
        if (secret == null || secret.isEmpty()) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(hex.strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(hmacSha256(secret, body), given);
    }
}
