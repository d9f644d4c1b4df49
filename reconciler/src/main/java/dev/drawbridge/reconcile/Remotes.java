package dev.drawbridge.reconcile;

import dev.drawbridge.config.SecretFile;
import dev.drawbridge.source.GitRemote;

/** Git remotes from configuration: the password is read from its file at use. */
final class Remotes {
    private Remotes() {
    }

    static GitRemote of(String url, String username, SecretFile passwordFile) {
        return new GitRemote(url, username, passwordFile == null ? null : passwordFile::read);
    }
}
