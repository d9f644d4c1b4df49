package dev.drawbridge.policy;

import dev.drawbridge.image.ImageReference;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A registry glob of {@code spec.registries.allow}, matched against the normalised image name
 * ({@code host/repository}) by whole segments: {@code *} matches within one segment, {@code **} any
 * number of segments (including none). {@code harbor.example.com/prod/**} does not match
 * {@code harbor.example.com.evil.io/prod/x} nor {@code harbor.example.com/production/x}.
 */
public record RegistryGlob(String pattern, Pattern compiled) {

    public RegistryGlob {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(compiled, "compiled");
    }

    /** Compiles a glob; refuses an empty one, one without a host, or one with a tag or digest. */
    public static RegistryGlob of(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("empty registry glob");
        }
        if (pattern.contains("@") || pattern.contains("://") || pattern.endsWith("/") || pattern.startsWith("/")
                || pattern.contains("//") || pattern.contains(" ")) {
            throw new IllegalArgumentException("invalid registry glob '" + pattern
                    + "' (expected host/path segments such as harbor.example.com/prod/**)");
        }
        String[] segments = pattern.split("/");
        StringBuilder regex = new StringBuilder("^");
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.equals("**")) {
                if (i == 0) {
                    throw new IllegalArgumentException("invalid registry glob '" + pattern + "': the host cannot be **");
                }
                // zero or more whole segments: "a/**" matches "a/x" and "a/x/y"; "a/**/b" matches "a/b"
                regex.setLength(regex.length() - 1); // drop the preceding "/"
                regex.append(last ? "(?:/[^/]+)+" : "(?:/[^/]+)*/");
                continue;
            }
            if (segment.contains("**")) {
                throw new IllegalArgumentException("invalid registry glob '" + pattern + "': ** must be a whole segment");
            }
            for (char c : segment.toCharArray()) {
                if (c == '*') {
                    regex.append(i == 0 ? "[^/.:]*" : "[^/]*");
                } else {
                    regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            if (!last) {
                regex.append('/');
            }
        }
        regex.append('$');
        return new RegistryGlob(pattern, Pattern.compile(regex.toString()));
    }

    public boolean matches(ImageReference image) {
        return compiled.matcher(image.name()).matches();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
