package dev.drawbridge.config;

import java.time.Duration;

/**
 * {@code git:} the repository that holds the environment branches.
 *
 * @param url          any URL JGit accepts: https, http, ssh, git, file, {@code user@host:path} or an absolute path
 * @param username     optional; for ssh, the user when the URL names none
 * @param passwordFile optional password or token, read at use (not used for ssh)
 * @param pollInterval how often branches are fetched; default 1m, and the default interval of environments
 * @param ssh          key and known_hosts for an ssh URL
 */
public record GitConfig(String url, String username, SecretFile passwordFile, Duration pollInterval, SshConfig ssh) {

    public GitConfig {
        if (ssh == null) {
            ssh = SshConfig.DEFAULT;
        }
    }

    /** Without ssh settings of its own (the defaults). */
    public GitConfig(String url, String username, SecretFile passwordFile, Duration pollInterval) {
        this(url, username, passwordFile, pollInterval, SshConfig.DEFAULT);
    }
}
