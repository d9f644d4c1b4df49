package dev.drawbridge.report.forge;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * How long a forge asked us to wait. GitHub answers 403 or 429 with {@code Retry-After} (seconds), or with
 * {@code X-RateLimit-Remaining: 0} and {@code X-RateLimit-Reset} (epoch seconds); GitLab sends the same
 * without the {@code X-} prefix. A 429 without either header waits a minute, as GitHub advises.
 */
final class RateLimits {

    static final Duration DEFAULT_WAIT = Duration.ofMinutes(1);

    private RateLimits() {
    }

    static Optional<Duration> waitFor(int statusCode, HttpHeaders headers, Clock clock, Duration cap) {
        if (statusCode != 403 && statusCode != 429) {
            return Optional.empty();
        }
        Optional<Duration> wait = retryAfter(headers, clock).or(() -> untilReset(headers, clock));
        if (wait.isEmpty() && statusCode == 429) {
            wait = Optional.of(DEFAULT_WAIT);
        }
        return wait.map(d -> d.isNegative() ? Duration.ZERO : d).map(d -> d.compareTo(cap) > 0 ? cap : d);
    }

    private static Optional<Duration> retryAfter(HttpHeaders headers, Clock clock) {
        Optional<String> value = headers.firstValue("Retry-After").map(String::strip);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(value.get())));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Optional.of(Duration.between(clock.instant(), at));
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    private static Optional<Duration> untilReset(HttpHeaders headers, Clock clock) {
        for (String prefix : new String[] {"X-RateLimit-", "RateLimit-"}) {
            Optional<String> remaining = headers.firstValue(prefix + "Remaining").map(String::strip);
            Optional<String> reset = headers.firstValue(prefix + "Reset").map(String::strip);
            if (remaining.isPresent() && remaining.get().equals("0") && reset.isPresent()) {
                try {
                    Instant at = Instant.ofEpochSecond(Long.parseLong(reset.get()));
                    return Optional.of(Duration.between(clock.instant(), at));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
