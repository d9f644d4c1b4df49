package dev.drawbridge.config;

import dev.drawbridge.redact.Redactor;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** URL checks of the configuration; messages name the input, except where it may hold a password. */
final class Urls {
    private static final Set<String> GIT_SCHEMES = Set.of("https", "http", "ssh", "git", "file");
    private static final Pattern SCP_LIKE = Pattern.compile("[A-Za-z0-9._~$-]+@([A-Za-z0-9.-]+):(?!//)\\S+");
    private static final String GIT_EXPECTED =
            "(expected https://, http://, ssh://, git://, file://, user@host:path or an absolute path)";

    private Urls() {
    }

    /**
     * A Git URL as JGit accepts it. Refuses credentials in the URL: a password ({@code user:token@}), and over any
     * scheme but ssh a user part at all ({@code https://TOKEN@host/...} is how tokens are pasted). Messages never
     * repeat what stands before the {@code @}.
     */
    static String git(String input) {
        if (SCP_LIKE.matcher(input).matches() || (input.startsWith("/") && !input.startsWith("//"))) {
            return input;
        }
        String shown = redacted(input);
        URI uri = parse(input, "invalid Git URL \"" + shown + "\" " + GIT_EXPECTED);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!GIT_SCHEMES.contains(scheme)) {
            throw new IllegalArgumentException("invalid Git URL \"" + shown + "\" " + GIT_EXPECTED);
        }
        if (uri.getRawUserInfo() != null && uri.getRawUserInfo().contains(":")) {
            throw new IllegalArgumentException("the Git URL must not contain a password; put it in password-file");
        }
        if (uri.getRawUserInfo() != null && !scheme.equals("ssh")) {
            throw new IllegalArgumentException("the Git URL must not contain credentials (the part before @, "
                    + "a user name or a token): put the user name in username and the token in password-file");
        }
        if (!scheme.equals("file") && (uri.getHost() == null || uri.getHost().isEmpty())) {
            throw new IllegalArgumentException("invalid Git URL \"" + shown + "\": no host");
        }
        if (scheme.equals("file") && (uri.getPath() == null || uri.getPath().isEmpty())) {
            throw new IllegalArgumentException("invalid Git URL \"" + shown + "\": no path");
        }
        return input;
    }

    /**
     * {@code https://user:token@host/x} -> {@code https://***@host/x}: a URL as it may appear in a message, malformed
     * or not ({@link Redactor#redactUrl}), with credentials in its query hidden too.
     */
    static String redacted(String url) {
        if (SCP_LIKE.matcher(url).matches()) { // user@host:path holds a user name, never a password
            return url;
        }
        return Redactor.patterns().redact(Redactor.redactUrl(url));
    }

    /**
     * Whether two Git URLs (as {@link #git} accepts them) name the same repository: the same host and path, whatever
     * the scheme, port, user, case, trailing {@code /} or {@code .git} (a forge serves one repository over https
     * and ssh); local repositories by their normalised path.
     */
    static boolean sameRepository(String a, String b) {
        return repository(a).equals(repository(b));
    }

    private static String repository(String url) {
        var scp = SCP_LIKE.matcher(url);
        String host;
        String path;
        if (scp.matches()) {
            host = scp.group(1);
            path = url.substring(url.indexOf(':', url.indexOf('@')) + 1);
        } else if (url.startsWith("/")) {
            host = "";
            path = url;
        } else {
            try {
                URI uri = new URI(url);
                host = uri.getHost() == null ? "" : uri.getHost();
                path = uri.getPath() == null ? "" : uri.getPath();
            } catch (URISyntaxException e) {
                return url;
            }
        }
        if (host.isEmpty()) {
            path = java.nio.file.Path.of(path).normalize().toString();
        }
        path = path.replaceAll("/+$", "").replaceAll("\\.git$", "").replaceAll("/+$", "").replaceAll("^/+", "");
        return host.toLowerCase(Locale.ROOT) + "/" + path.toLowerCase(Locale.ROOT);
    }

    /** Whether a Git URL (as {@link #git} accepts it) is reached over ssh. */
    static boolean isSsh(String url) {
        return SCP_LIKE.matcher(url).matches() || url.regionMatches(true, 0, "ssh://", 0, 6);
    }

    /** How a Git URL is reached, for messages: {@code https://}, {@code file://}, {@code a local path}. */
    static String scheme(String url) {
        int colon = url.indexOf("://");
        return colon > 0 ? url.substring(0, colon + 3) : "a local path";
    }

    /**
     * The host and port of a Git URL ({@code git.example.com:22}), the scheme's default port filled in, or an
     * empty string for a local repository.
     */
    static String gitHost(String url) {
        var scp = SCP_LIKE.matcher(url);
        if (scp.matches()) {
            return scp.group(1).toLowerCase(Locale.ROOT) + ":22";
        }
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null) {
                return "";
            }
            int port = uri.getPort();
            if (port < 0) {
                port = switch (uri.getScheme().toLowerCase(Locale.ROOT)) {
                    case "https" -> 443;
                    case "http" -> 80;
                    case "ssh" -> 22;
                    case "git" -> 9418;
                    default -> -1;
                };
            }
            return uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
        } catch (URISyntaxException e) {
            return "";
        }
    }

    /** An absolute http(s) URL with a host and no credentials; a trailing slash is dropped. */
    static URI http(String input) {
        String shown = redacted(input);
        URI uri = parse(input, "invalid URL \"" + shown + "\" (expected e.g. https://host.example.com)");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new IllegalArgumentException("invalid URL \"" + shown + "\" (expected http:// or https://)");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("invalid URL \"" + shown + "\": no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("the URL must not contain credentials; use the *-file keys");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("invalid URL \"" + shown + "\": no query or fragment expected");
        }
        return input.endsWith("/") ? URI.create(input.substring(0, input.length() - 1)) : uri;
    }

    private static URI parse(String input, String message) {
        try {
            URI uri = new URI(input);
            if (!uri.isAbsolute()) {
                throw new IllegalArgumentException(message);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(message);
        }
    }
}
