package dev.drawbridge.config;

/**
 * {@code policies:} where the gate policies live: {@code <path>/<environment>.yaml} at the head of
 * {@code branch}, never taken from the branch being deployed.
 *
 * @param url          default {@code git.url}
 * @param branch       default {@code main}
 * @param path         relative directory, default {@code policies}
 * @param username     default {@code git.username} when the policies live on the same host as {@code git.url}
 * @param passwordFile default {@code git.password-file}, on the same condition
 * @param ssh          {@code ssh-key-file} and {@code ssh-key-passphrase-file} default to git's on the same
 *                     condition; {@code known-hosts-file} defaults to git's
 */
public record PoliciesConfig(String url, String branch, String path, String username, SecretFile passwordFile,
                             SshConfig ssh) {

    public PoliciesConfig {
        if (ssh == null) {
            ssh = SshConfig.DEFAULT;
        }
    }

    /** Without ssh settings of its own (the defaults). */
    public PoliciesConfig(String url, String branch, String path, String username, SecretFile passwordFile) {
        this(url, branch, path, username, passwordFile, SshConfig.DEFAULT);
    }
}
