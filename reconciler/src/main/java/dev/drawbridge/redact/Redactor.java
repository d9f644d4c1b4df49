package dev.drawbridge.redact;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes credentials from text and exception chains before they reach a log line, a status, a comment, a
 * decision record or an error. Two kinds are hidden:
 * <ul>
 *   <li>the secret values this redactor was given ({@link #of}, {@link #withUrl}): as given, stripped and
 *       URL-decoded, longest first, each replaced by {@value #MASK};</li>
 *   <li>whatever looks like a credential whoever wrote the text: the userinfo of any {@code scheme://user:pw@}
 *       URL ({@code scheme://***@}), credentials in a query string ({@code ?access_token=****}), the value of an
 *       {@code Authorization} (or {@code PRIVATE-TOKEN}) header, and a {@code Bearer} or {@code Basic}
 *       credential in a message.</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class Redactor {

    /** What a secret value, a query credential or a header value is replaced by. */
    public static final String MASK = "****";
    /** What the userinfo of a URL is replaced by: {@code https://***@host/x}. */
    public static final String USERINFO_MASK = "***";

    private static final Pattern USERINFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^/@\\s]+@");
    private static final Pattern LEADING_USERINFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://([^/@\\s]+)@");
    private static final Pattern QUERY_CREDENTIAL = Pattern.compile("(?i)([?&](?:access_token|private_token|token|"
            + "api[_-]?key|apikey|password|passwd|secret|client_secret|sig|signature|x-amz-signature|x-amz-credential)=)"
            + "[^&#\\s\"']+");
    private static final Pattern HEADER = Pattern.compile("(?i)\\b((?:proxy-)?authorization|private-token|"
            + "x-gitlab-token|x-api-key)(\"?\\s*[:=]\\s*\"?)(?:(?:bearer|basic|token|digest)\\s+)?[^\\s,;\"'(){}\\[\\]<>]+");
    /** A bearer token in a message: at least eight characters, not all letters (so "Bearer realm" stays). */
    private static final Pattern BEARER = Pattern.compile(
            "(?i)\\b(bearer)(\\s+)(?=[A-Za-z0-9._~+/-]*[0-9._~+/-])[A-Za-z0-9._~+/-]{8,}=*");
    /** Basic credentials in a message: base64 of at least eight characters, not all letters. */
    private static final Pattern BASIC = Pattern.compile(
            "(?i)\\b(basic)(\\s+)(?=[A-Za-z0-9+/]*[0-9+/=])[A-Za-z0-9+/]{8,}={0,2}(?![A-Za-z0-9._~-])");

    private static final Redactor PATTERNS = new Redactor(List.of());

    private final List<String> secrets;

    private Redactor(List<String> secrets) {
        List<String> sorted = new ArrayList<>(secrets);
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        this.secrets = List.copyOf(sorted);
    }

    /** Hides only what looks like a credential (no known secret values). */
    public static Redactor patterns() {
        return PATTERNS;
    }

    /** Hides {@code secrets} (nulls and blanks are ignored) and what looks like a credential. */
    public static Redactor of(String... secrets) {
        Redactor redactor = PATTERNS;
        for (String secret : secrets) {
            redactor = redactor.with(secret);
        }
        return redactor;
    }

    /** This redactor also hiding {@code secret} as given, stripped and URL-decoded; itself when null or blank. */
    public Redactor with(String secret) {
        List<String> more = new ArrayList<>(secrets);
        add(more, secret);
        if (secret != null) {
            add(more, secret.strip());
            add(more, decode(secret.strip()));
        }
        return more.size() == secrets.size() ? this : new Redactor(more);
    }

    /**
     * This redactor also hiding the secrets a URL holds: the whole URL, its userinfo (a bare userinfo is a token,
     * except over ssh where it is the user name; in {@code user:password} the password), and, for a URL that is
     * itself the secret (a Slack webhook), its path and query.
     *
     * @param url     null or blank for none
     * @param wholeIsSecret whether the path and query are secret too (a webhook URL), or only the userinfo (a Git URL)
     */
    public Redactor withUrl(String url, boolean wholeIsSecret) {
        if (url == null || url.isBlank()) {
            return this;
        }
        Redactor out = this;
        String trimmed = url.strip();
        Matcher m = LEADING_USERINFO.matcher(trimmed);
        if (m.find()) {
            String userinfo = m.group(2);
            int colon = userinfo.indexOf(':');
            if (colon < 0 && !m.group(1).equalsIgnoreCase("ssh")) {
                out = out.with(userinfo); // https://TOKEN@host: the whole userinfo is the token
            } else if (colon >= 0) {
                out = out.with(userinfo).with(userinfo.substring(colon + 1));
            }
        }
        if (wholeIsSecret) {
            out = out.with(trimmed);
            try {
                URI uri = new URI(trimmed);
                String path = uri.getRawPath();
                if (path != null && path.length() > 1) {
                    out = out.with(path.substring(1)); // "/****" keeps the shape of a path
                }
                out = out.with(uri.getRawQuery());
            } catch (URISyntaxException notAUri) {
                // the URL as a whole is hidden already
            }
        }
        return out;
    }

    /** {@code text} without the known secrets and without anything that looks like a credential; null stays null. */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, MASK);
        }
        out = USERINFO.matcher(out).replaceAll("$1" + USERINFO_MASK + "@");
        out = QUERY_CREDENTIAL.matcher(out).replaceAll("$1" + MASK);
        out = HEADER.matcher(out).replaceAll("$1$2" + MASK);
        out = BEARER.matcher(out).replaceAll("$1$2" + MASK);
        return BASIC.matcher(out).replaceAll("$1$2" + MASK);
    }

    /** The userinfo of every {@code scheme://userinfo@} URL in {@code text} replaced: {@code https://***@host/x}. */
    public static String redactUrls(String text) {
        return text == null ? null : USERINFO.matcher(text).replaceAll("$1" + USERINFO_MASK + "@");
    }

    /** The userinfo of every {@code scheme://userinfo@} URL in {@code text} removed: {@code https://host/x}. */
    public static String stripUserinfo(String text) {
        return text == null ? null : USERINFO.matcher(text).replaceAll("$1");
    }

    /**
     * A URL as it may appear in a message, for a URL that may be malformed: everything between the scheme's
     * {@code //} (or the start) and the last {@code @} is hidden, so a password holding {@code @} or {@code /}
     * is hidden too. Use it only on a string known to be one URL.
     */
    public static String redactUrl(String url) {
        int at = url.lastIndexOf('@');
        if (at < 0) {
            return url;
        }
        int slashes = url.indexOf("//");
        int start = slashes >= 0 && slashes < at ? slashes + 2 : 0;
        return url.substring(0, start) + USERINFO_MASK + url.substring(at);
    }

    /**
     * A copy of the cause chain with redacted messages and the original class names and stack traces, so a
     * logged stack trace helps debugging without leaking a credential.
     */
    public Throwable redactChain(Throwable t) {
        return copy(t, new IdentityHashMap<>());
    }

    private Throwable copy(Throwable t, Map<Throwable, Throwable> seen) {
        if (t == null || seen.containsKey(t)) {
            return null;
        }
        seen.put(t, t);
        RedactedCause copy = new RedactedCause(t.getClass().getName(), redact(t.getMessage()), copy(t.getCause(), seen));
        copy.setStackTrace(t.getStackTrace());
        return copy;
    }

    /**
     * The message of the exception followed by each cause's message not already in it, redacted: a short
     * summary for humans.
     *
     * @param omit a prefix not to repeat at the start of a message (the redacted URL the caller names itself),
     *             or null
     */
    public String summary(Throwable t, String omit) {
        StringBuilder text = new StringBuilder();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable c = t; c != null && !seen.containsKey(c); c = c.getCause()) {
            seen.put(c, true);
            String message = c.getMessage();
            if (message == null || message.isBlank()) {
                if (c.getCause() == null && text.length() == 0) {
                    text.append(c.getClass().getSimpleName());
                }
                continue;
            }
            if (c instanceof java.net.UnknownHostException) {
                message = "unknown host " + message;
            }
            message = redact(message.strip());
            if (omit != null && message.startsWith(omit + ": ")) {
                message = message.substring(omit.length() + 2);
            }
            if (text.indexOf(message) < 0) {
                if (text.length() > 0) {
                    text.append(": ");
                }
                text.append(message);
            }
        }
        return text.toString();
    }

    private static void add(List<String> secrets, String secret) {
        if (secret != null && !secret.isBlank() && !secrets.contains(secret)) {
            secrets.add(secret);
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    /** Stands in for a third-party exception whose message might have held a credential. */
    public static final class RedactedCause extends Exception {
        private final String originalClass;

        RedactedCause(String originalClass, String message, Throwable cause) {
            super(message, cause);
            this.originalClass = originalClass;
        }

        /** The class name of the exception this stands in for. */
        public String originalClass() {
            return originalClass;
        }

        @Override
        public String toString() {
            String msg = getMessage();
            return msg == null ? originalClass : originalClass + ": " + msg;
        }
    }
}
