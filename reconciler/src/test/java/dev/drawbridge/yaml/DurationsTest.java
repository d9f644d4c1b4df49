package dev.drawbridge.yaml;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"500ms, PT0.5S", "30s, PT30S", "15m, PT15M", "12h, PT12H", "7d, PT168H", "1h30m, PT1H30M",
            "1d2h3m4s5ms, PT26H3M4.005S", "0, PT0S"})
    void readsDurations(String input, Duration expected) {
        assertThat(Durations.parse(input)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"7 days", "7x", "7", "", " ", "1.5h", "h", "7D", "1m1h", "1h1h", "P7D"})
    void refusesMalformedDurationsNamingTheInput(String input) {
        assertThatThrownBy(() -> Durations.parse(input)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid duration \"" + input + "\"");
    }

    @Test
    void refusesNegativeDurations() {
        assertThatThrownBy(() -> Durations.parse("-1d")).hasMessage("invalid duration \"-1d\": must not be negative");
    }

    @Test
    void explainsTheExpectedSyntax() {
        assertThatThrownBy(() -> Durations.parse("7 days"))
                .hasMessage("invalid duration \"7 days\" (expected e.g. 30s, 15m, 12h, 7d)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "500ms", "1h30m", "7d", "1d1ms"})
    void formatsWhatItReads(String input) {
        assertThat(Durations.format(Durations.parse(input))).isEqualTo(input);
    }
}
