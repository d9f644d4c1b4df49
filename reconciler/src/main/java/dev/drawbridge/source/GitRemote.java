package dev.drawbridge.source;

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
 * GitLab and Gitea accept for personal access tokens (they only check the token). SSH URLs use the
 * platform's SSH configuration; a password, if any, is then ignored.
 *
 * @param url      any JGit URL: https, ssh, git, file; may hold userinfo, which is never printed
 * @param username optional username
 * @param password optional password or token supplier, called at each use
 */
public record GitRemote(String url, String username, Supplier<String> password) {

    /** Username sent with a token when none is configured. */
    public static final String TOKEN_USERNAME = "x-access-token";

    private static final Pattern USERINFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^/@\\s]+@");

    public GitRemote {
        Objects.requireNonNull(url, "url");
        if (url.isBlank()) {
            throw new IllegalArgumentException("Invalid Git URL: it is empty");
        }
    }

    /** A remote without credentials (or with credentials inside the URL). */
    public static GitRemote of(String url) {
        return new GitRemote(url, null, null);
    }

    /** The URL with any userinfo replaced: {@code https://user:token@host/x} -> {@code https://***@host/x}. */
    public String redactedUrl() {
        return redactUrls(url);
    }

    /** The username to send: the configured one, else {@value #TOKEN_USERNAME} when a password is given. */
    public String effectiveUsername() {
        if (username != null && !username.isBlank()) {
            return username;
        }
        return TOKEN_USERNAME;
    }

    /** Replaces the userinfo of every {@code scheme://userinfo@} URL in {@code text}. */
    static String redactUrls(String text) {
        return text == null ? null : USERINFO.matcher(text).replaceAll("$1***@");
    }

    @Override
    public String toString() {
        return "GitRemote[url=" + redactedUrl() + ", username=" + username
                + ", password=" + (password == null ? "none" : "***") + "]";
    }
}
