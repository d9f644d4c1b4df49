package dev.drawbridge.reconcile;

import dev.drawbridge.config.GitConfig;
import dev.drawbridge.config.PoliciesConfig;
import dev.drawbridge.config.SecretFile;
import dev.drawbridge.config.SshConfig;
import dev.drawbridge.source.GitRemote;
import dev.drawbridge.source.SshSettings;

/** Git remotes from configuration: the password and the key's passphrase are read from their files at use. */
public final class Remotes {
    private Remotes() {
    }

    /** The deploy repository of {@code git:}. */
    public static GitRemote of(GitConfig git) {
        return of(git.url(), git.username(), git.passwordFile(), git.ssh());
    }

    /** The policy repository of {@code policies:}. */
    static GitRemote of(PoliciesConfig policies) {
        return of(policies.url(), policies.username(), policies.passwordFile(), policies.ssh());
    }

    static GitRemote of(String url, String username, SecretFile passwordFile, SshConfig ssh) {
        SecretFile passphrase = ssh.keyPassphraseFile();
        return new GitRemote(url, username, passwordFile == null ? null : passwordFile::read,
                new SshSettings(ssh.keyFile(), passphrase == null ? null : passphrase::read, ssh.knownHostsFile()));
    }
}
