package dev.drawbridge.source;

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
 * Removes credentials from text and exception chains: userinfo of any URL, the raw URL of the remote,
 * and every known secret value (the password as given and as it appears inside the URL, raw and
 * decoded).
 */
final class Redactor {
    private static final Pattern URL_USERINFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://([^/@\\s]+)@");

    private final List<String> secrets = new ArrayList<>();

    Redactor(GitRemote remote, String password) {
        this(remote, password, null);
    }

    /** @param other another secret used with the remote (the passphrase of an ssh key), may be null */
    Redactor(GitRemote remote, String password, String other) {
        add(password);
        add(other);
        Matcher m = URL_USERINFO.matcher(remote.url());
        if (m.find()) {
            String userinfo = m.group(2);
            int colon = userinfo.indexOf(':');
            if (colon < 0 && !m.group(1).equalsIgnoreCase("ssh")) {
                add(userinfo); // https://TOKEN@host: the whole userinfo is the token
                add(decode(userinfo));
            } else if (colon >= 0) {
                add(userinfo);
                String pass = userinfo.substring(colon + 1);
                add(pass);
                add(decode(pass));
            }
        }
        secrets.sort(Comparator.comparingInt(String::length).reversed());
    }

    private void add(String secret) {
        if (secret != null && !secret.isEmpty() && !secrets.contains(secret)) {
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

    String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = GitRemote.redactUrls(text);
        for (String secret : secrets) {
            out = out.replace(secret, "***");
        }
        return out;
    }

    /**
     * A copy of the cause chain with redacted messages and the original class names and stack traces,
     * so a logged stack trace helps debugging without leaking a credential.
     */
    Throwable redactChain(Throwable t) {
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
     * The message of the exception followed by each cause's message not already in it, redacted, and
     * with the URL of the remote not repeated: a short summary for humans.
     */
    String summary(Throwable t, String redactedUrl) {
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
            if (message.startsWith(redactedUrl + ": ")) {
                message = message.substring(redactedUrl.length() + 2);
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

    /** Stands in for a third-party exception whose message might have held a credential. */
    static final class RedactedCause extends Exception {
        private final String originalClass;

        RedactedCause(String originalClass, String message, Throwable cause) {
            super(message, cause);
            this.originalClass = originalClass;
        }

        String originalClass() {
            return originalClass;
        }

        @Override
        public String toString() {
            String msg = getMessage();
            return msg == null ? originalClass : originalClass + ": " + msg;
        }
    }
}
