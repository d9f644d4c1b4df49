package dev.drawbridge.source;

import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * How to authenticate to an ssh remote and how to check its host key.
 *
 * <p>The host key is always checked strictly against {@code knownHostsFile}: an unknown, changed or
 * revoked key is refused, never accepted and never written to the file. The user's {@code ~/.ssh/config}
 * and any ssh agent are never used, so what is fetched does not depend on the machine.
 *
 * @param keyFile        the private key to authenticate with, read at each use; null: the default
 *                       identities of {@code ~/.ssh} ({@code id_ed25519}, {@code id_ecdsa}, {@code id_rsa}, ...)
 * @param keyPassphrase  the passphrase of an encrypted key, called at each use; may be null
 * @param knownHostsFile the OpenSSH {@code known_hosts} file; null: {@code ~/.ssh/known_hosts}
 */
public record SshSettings(Path keyFile, Supplier<String> keyPassphrase, Path knownHostsFile) {

    /** The default identities of {@code ~/.ssh} and {@code ~/.ssh/known_hosts}. */
    public static final SshSettings DEFAULT = new SshSettings(null, null, null);

    /** {@code knownHostsFile}, or {@code ~/.ssh/known_hosts} when none is given. */
    public Path effectiveKnownHostsFile() {
        return knownHostsFile != null ? knownHostsFile : userSshDirectory().resolve("known_hosts");
    }

    static Path userSshDirectory() {
        return Path.of(System.getProperty("user.home"), ".ssh");
    }

    @Override
    public String toString() {
        return "SshSettings[keyFile=" + (keyFile == null ? "default identities" : keyFile)
                + ", keyPassphrase=" + (keyPassphrase == null ? "none" : "***")
                + ", knownHostsFile=" + effectiveKnownHostsFile() + "]";
    }
}
