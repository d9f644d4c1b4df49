package dev.drawbridge.config;

import java.nio.file.Path;
import java.util.regex.Pattern;

/** Checks of paths and names in the configuration. */
final class PathRules {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern PLATFORM = Pattern.compile("[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?");
    private static final Pattern HOST = Pattern.compile(
            "(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\\[[0-9A-Fa-f:]+])(?::[0-9]{1,5})?");

    private PathRules() {
    }

    /** A path inside the repository: relative, forward slashes, never leaving it with {@code ..}. */
    static String repositoryPath(String input) {
        if (input.startsWith("/") || input.contains("\\") || input.matches("^[A-Za-z]:.*")) {
            throw new IllegalArgumentException("must be a path relative to the repository root, got \"" + input + "\"");
        }
        for (String segment : input.split("/")) {
            if (segment.equals("..")) {
                throw new IllegalArgumentException("must stay inside the repository (no \"..\"), got \"" + input + "\"");
            }
        }
        String trimmed = input.replaceAll("/+$", "");
        return trimmed.isEmpty() ? "." : trimmed;
    }

    /** A local file: {@code ~/} is the home directory, a relative path is relative to {@code base}. */
    static Path localFile(String input, Path base) {
        if (input.equals("~") || input.startsWith("~/")) {
            return Path.of(System.getProperty("user.home")).resolve(input.substring(Math.min(2, input.length())));
        }
        return base.resolve(input).normalize();
    }

    static String namespace(String input) {
        if (!DNS_LABEL.matcher(input).matches()) {
            throw new IllegalArgumentException("invalid namespace \"" + input
                    + "\" (expected lower-case letters, digits and '-', at most 63, e.g. drawbridge-system)");
        }
        return input;
    }

    /** A branch name as {@code git check-ref-format --branch} would accept it. */
    static String branch(String input) {
        boolean bad = input.isBlank() || input.startsWith("-") || input.startsWith("/") || input.endsWith("/")
                || input.endsWith(".") || input.endsWith(".lock") || input.contains("..") || input.contains("//")
                || input.contains("@{") || input.chars().anyMatch(c -> c <= ' '
                || c == 0x7f || c == '~' || c == '^' || c == ':' || c == '?' || c == '*' || c == '[' || c == '\\');
        if (bad) {
            throw new IllegalArgumentException("invalid branch name \"" + input + "\" (expected e.g. env/production)");
        }
        return input;
    }

    static String platform(String input) {
        if (!PLATFORM.matcher(input).matches()) {
            throw new IllegalArgumentException("invalid platform \"" + input + "\" (expected os/arch[/variant], e.g. linux/amd64)");
        }
        return input;
    }

    static String host(String input) {
        if (!HOST.matcher(input).matches()) {
            throw new IllegalArgumentException("invalid registry host \"" + input
                    + "\" (expected a host name with optional port, e.g. harbor.example.com or 127.0.0.1:5000)");
        }
        return input;
    }
}
