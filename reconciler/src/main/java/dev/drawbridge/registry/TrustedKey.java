package dev.drawbridge.registry;

import java.security.PublicKey;
import java.util.Objects;

/**
 * A public key whose signatures on attestations are trusted, named by where it came from (its file).
 * {@link #toString()} names the key and its algorithm, never its material.
 *
 * @param name      where the key came from, e.g. {@code /etc/drawbridge/keys/scanner.pub}
 * @param algorithm {@code ECDSA P-256}, {@code Ed25519} or {@code RSA}
 * @param key       the key
 */
public record TrustedKey(String name, String algorithm, PublicKey key) {
    public TrustedKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(key, "key");
    }

    @Override
    public String toString() {
        return "TrustedKey[" + name + ", " + algorithm + "]";
    }
}
