package dev.drawbridge.apply;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** What a {@code Retry-After} asks for: seconds or an HTTP date; nothing when absent or unreadable. */
class RetryAfterTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void readsSecondsAndAnHttpDateAndNothingElse() {
        assertThat(RetryAfter.wait("1", CLOCK)).contains(Duration.ofSeconds(1));
        assertThat(RetryAfter.wait(" 120 ", CLOCK)).contains(Duration.ofMinutes(2));
        assertThat(RetryAfter.wait("Thu, 03 Dec 2026 10:00:07 GMT", CLOCK)).contains(Duration.ofSeconds(7));
        assertThat(RetryAfter.wait("Thu, 03 Dec 2026 09:00:00 GMT", CLOCK)).as("a date past").contains(Duration.ZERO);
        assertThat(RetryAfter.wait("-5", CLOCK)).contains(Duration.ZERO);
        assertThat(RetryAfter.wait(null, CLOCK)).isEmpty();
        assertThat(RetryAfter.wait("soon", CLOCK)).isEmpty();
    }

    @Test
    void findsTheRefusalBehindAClientFailure() {
        RetryAfter.TooManyRequests refused = new RetryAfter.TooManyRequests("PATCH /apis/apps/v1/namespaces/shop/deployments/web");
        assertThat(RetryAfter.behind(new RuntimeException("wrapped", new java.io.IOException("io", refused)))).contains(refused);
        assertThat(RetryAfter.behind(new RuntimeException("other"))).isEmpty();
    }
}
