package dev.drawbridge.image;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A container image reference, parsed with the grammar of the distribution project
 * (github.com/distribution/reference) and normalised the way Docker does, so that a policy cannot be
 * dodged by spelling a reference differently: {@code nginx} is {@code docker.io/library/nginx:latest}.
 *
 * @param host       registry host with optional port, e.g. {@code harbor.example.com}, {@code docker.io}
 * @param repository path inside the registry, e.g. {@code shop/api}, {@code library/nginx}
 * @param tag        tag, or null when only a digest was given
 * @param digest     digest, or null when the reference does not pin one
 */
public record ImageReference(String host, String repository, String tag, Digest digest) {

    public static final String DOCKER_HUB = "docker.io";
    private static final int NAME_MAX = 255;

    private static final String ALNUM = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|-+)";
    private static final String PATH_COMPONENT = ALNUM + "(?:" + SEPARATOR + ALNUM + ")*";
    private static final Pattern PATH = Pattern.compile(PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*");
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-f0-9]{64}");
    /** The algorithms go-digest, and so every registry and container runtime, accepts in a reference. */
    private static final java.util.Set<String> REFERENCE_DIGEST_ALGORITHMS = java.util.Set.of("sha256", "sha384", "sha512");

    public ImageReference {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(repository, "repository");
        if (tag == null && digest == null) {
            tag = "latest";
        }
    }

    /** Parses and normalises a reference; refuses malformed input with the input in the message. */
    public static ImageReference parse(String input) {
        if (input == null || input.isBlank()) {
            throw new InvalidImageReferenceException(String.valueOf(input), "empty image reference");
        }
        if (!input.equals(input.strip())) {
            throw new InvalidImageReferenceException(input, "leading or trailing whitespace");
        }
        if (IDENTIFIER.matcher(input).matches()) {
            // as distribution's ParseNormalizedNamed: a bare image id is not a repository name
            throw new InvalidImageReferenceException(input, "a 64-character hex image id is not a repository name");
        }
        String rest = input;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            if (rest.indexOf('@', at + 1) >= 0) {
                throw new InvalidImageReferenceException(input, "more than one '@'");
            }
            try {
                digest = Digest.of(rest.substring(at + 1));
            } catch (InvalidImageReferenceException e) {
                throw new InvalidImageReferenceException(input, e.problem());
            }
            if (!REFERENCE_DIGEST_ALGORITHMS.contains(digest.algorithm())) {
                throw new InvalidImageReferenceException(input, "unsupported digest algorithm '" + digest.algorithm()
                        + "' (expected sha256, sha384 or sha512)");
            }
            rest = rest.substring(0, at);
        }
        String tag = null;
        int lastSlash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        if (colon > lastSlash) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw new InvalidImageReferenceException(input, "invalid tag '" + tag + "'");
            }
        }
        if (rest.isEmpty()) {
            throw new InvalidImageReferenceException(input, "missing repository name");
        }
        if (rest.length() > NAME_MAX) {
            throw new InvalidImageReferenceException(input, "repository name longer than " + NAME_MAX + " characters");
        }
        String host;
        String path;
        int slash = rest.indexOf('/');
        String first = slash < 0 ? rest : rest.substring(0, slash);
        boolean firstIsDomain = slash >= 0
                && (first.contains(".") || first.contains(":") || first.equals("localhost") || !first.equals(first.toLowerCase()));
        if (firstIsDomain) {
            host = first;
            path = rest.substring(slash + 1);
            if (!DOMAIN.matcher(host).matches()) {
                throw new InvalidImageReferenceException(input, "invalid registry host '" + host + "'");
            }
        } else {
            host = DOCKER_HUB;
            path = rest;
        }
        // DNS names are case-insensitive: one spelling per host, so a host rule cannot be dodged by case
        host = host.toLowerCase(java.util.Locale.ROOT);
        if (host.equals("index.docker.io") || host.equals("registry-1.docker.io")) {
            host = DOCKER_HUB;
        }
        if (!PATH.matcher(path).matches()) {
            String why = path.equals(path.toLowerCase()) ? "invalid repository path '" + path + "'"
                    : "repository path must be lowercase: '" + path + "'";
            throw new InvalidImageReferenceException(input, why);
        }
        if (host.equals(DOCKER_HUB) && !path.contains("/")) {
            path = "library/" + path;
        }
        return new ImageReference(host, path, tag, digest);
    }

    /** {@code host/repository}, the name a registry glob is matched against together with the tag. */
    public String name() {
        return host + "/" + repository;
    }

    /** The normalised form: {@code host/repository[:tag][@digest]}. */
    public String normalized() {
        StringBuilder b = new StringBuilder(name());
        if (tag != null) {
            b.append(':').append(tag);
        }
        if (digest != null) {
            b.append('@').append(digest);
        }
        return b.toString();
    }

    public Optional<Digest> pinnedDigest() {
        return Optional.ofNullable(digest);
    }

    /** The same image pinned to {@code verified}, keeping the tag for readers: {@code repo:tag@sha256:...}. */
    public ImageReference withDigest(Digest verified) {
        return new ImageReference(host, repository, tag, verified);
    }

    /** The form used to apply: {@code host/repository@digest}. */
    public String pinned(Digest verified) {
        return name() + "@" + verified;
    }

    @Override
    public String toString() {
        return normalized();
    }
}
