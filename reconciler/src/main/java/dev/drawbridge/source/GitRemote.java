package dev.drawbridge.source;

import dev.drawbridge.redact.Redactor;

import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A Git remote and how to authenticate to it.
 *
 * <p>{@code password} is a supplier so a secret file is read at use (and a rotated token is picked
 * up); it is never stored in a string this record prints. For HTTPS token authentication
 * (GitHub, GitLab, Gitea personal or app tokens) give the token as the password; when no username is
 * configured, {@value #TOKEN_USERNAME} is sent, which GitHub app tokens require and which GitHub,
 * GitLab and Gitea accept for personal access tokens (they only check the token).
 *
 * <p>An ssh remote ({@code ssh://user@host[:port]/path} or {@code user@host:path}) authenticates with the
 * key of {@code ssh} and checks the host key against its {@code known_hosts} file; the password is not
 * used, and {@code username} only when the URL names no user.
 *
 * @param url      any JGit URL: https, ssh, git, file; may hold userinfo, which is never printed
 * @param username optional username
 * @param password optional password or token supplier, called at each use
 * @param ssh      key and known_hosts for ssh remotes; null means {@link SshSettings#DEFAULT}
 */
public record GitRemote(String url, String username, Supplier<String> password, SshSettings ssh) {

    /** Username sent with a token when none is configured. */
    public static final String TOKEN_USERNAME = "x-access-token";

    private static final Pattern SCP_LIKE = Pattern.compile("^[^/:@\\s]+@[^/:\\s]+:.*");

    public GitRemote {
        Objects.requireNonNull(url, "url");
        if (url.isBlank()) {
            throw new IllegalArgumentException("Invalid Git URL: it is empty");
        }
        if (ssh == null) {
            ssh = SshSettings.DEFAULT;
        }
    }

    /** A remote with the default ssh settings. */
    public GitRemote(String url, String username, Supplier<String> password) {
        this(url, username, password, SshSettings.DEFAULT);
    }

    /** Whether the URL is reached over ssh: {@code ssh://}, {@code git+ssh://} or {@code user@host:path}. */
    public boolean isSsh() {
        return url.regionMatches(true, 0, "ssh://", 0, 6) || url.regionMatches(true, 0, "git+ssh://", 0, 10)
                || url.regionMatches(true, 0, "ssh+git://", 0, 10) || SCP_LIKE.matcher(url).matches();
    }

    /** A remote without credentials (or with credentials inside the URL). */
    public static GitRemote of(String url) {
        return new GitRemote(url, null, null);
    }

    /** The URL with any userinfo replaced: {@code https://user:token@host/x} -> {@code https://***@host/x}. */
    public String redactedUrl() {
        return Redactor.redactUrls(url);
    }

    /** The username to send: the configured one, else {@value #TOKEN_USERNAME} when a password is given. */
    public String effectiveUsername() {
        if (username != null && !username.isBlank()) {
            return username;
        }
        return TOKEN_USERNAME;
    }

    /**
     * What hides this remote's secrets: the userinfo of its URL (a bare userinfo is a token, except over ssh),
     * {@code password} and {@code other} (the passphrase of an ssh key), each may be null.
     */
    Redactor redactor(String password, String other) {
        return Redactor.of(password, other).withUrl(url, false);
    }

    @Override
    public String toString() {
        return "GitRemote[url=" + redactedUrl() + ", username=" + username
                + ", password=" + (password == null ? "none" : "***") + (isSsh() ? ", ssh=" + ssh : "") + "]";
    }
}
