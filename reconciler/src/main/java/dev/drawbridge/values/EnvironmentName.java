package dev.drawbridge.values;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The name of an environment ({@code environments[].name}), e.g. {@code production}: a DNS label (lower-case
 * letters, digits and '-', at most 63), since it names Kubernetes objects and labels ({@code drawbridge-<name>}
 * Leases, decision records). Written as the plain name, in text and in JSON.
 */
public record EnvironmentName(String value) implements Comparable<EnvironmentName> {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    public EnvironmentName {
        Objects.requireNonNull(value, "environment name");
        if (!DNS_LABEL.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid environment name \"" + value
                    + "\" (expected lower-case letters, digits and '-', at most 63, e.g. production)");
        }
    }

    /** Parses a name; refuses anything else with the input in the message. */
    @JsonCreator
    public static EnvironmentName of(String value) {
        return new EnvironmentName(value);
    }

    /** The name when {@code value} is a valid one, else empty: for input where an invalid name is just unknown. */
    public static Optional<EnvironmentName> parse(String value) {
        return value != null && DNS_LABEL.matcher(value).matches() ? Optional.of(new EnvironmentName(value))
                : Optional.empty();
    }

    @Override
    public int compareTo(EnvironmentName other) {
        return value.compareTo(other.value);
    }

    @JsonValue
    @Override
    public String toString() {
        return value;
    }
}
