package dev.drawbridge.config;

import java.time.Duration;

/**
 * {@code git:} the repository that holds the environment branches.
 *
 * @param url          any URL JGit accepts: https, http, ssh, git, file, {@code user@host:path} or an absolute path
 * @param username     optional
 * @param passwordFile optional password or token, read at use
 * @param pollInterval how often branches are fetched; default 1m, and the default interval of environments
 */
public record GitConfig(String url, String username, SecretFile passwordFile, Duration pollInterval) {
}
