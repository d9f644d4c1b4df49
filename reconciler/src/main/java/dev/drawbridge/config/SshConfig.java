package dev.drawbridge.config;

import java.nio.file.Path;

/**
 * How to reach an ssh remote ({@code ssh://user@host[:port]/path} or {@code user@host:path}): keys
 * {@code ssh-key-file}, {@code ssh-key-passphrase-file} and {@code known-hosts-file} of {@code git:} and
 * {@code policies:}.
 *
 * @param keyFile            the private key, read at each use; null: the default identities of {@code ~/.ssh}
 * @param keyPassphraseFile  the passphrase of an encrypted key, read at use; may be null
 * @param knownHostsFile     the OpenSSH known_hosts file the host key must be in; null: {@code ~/.ssh/known_hosts}
 */
public record SshConfig(Path keyFile, SecretFile keyPassphraseFile, Path knownHostsFile) {

    /** The default identities of {@code ~/.ssh} and {@code ~/.ssh/known_hosts}. */
    public static final SshConfig DEFAULT = new SshConfig(null, null, null);
}
