package dev.drawbridge.yaml;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SizesTest {

    @ParameterizedTest
    @CsvSource({"1024, 1024", "512Ki, 524288", "64Mi, 67108864", "1Gi, 1073741824", "0, 0"})
    void readsSizes(String input, long expected) {
        assertThat(Sizes.parse(input)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10MB", "64 Mi", "-1", "1.5Gi", "Mi", "", "999999999999Gi"})
    void refusesMalformedSizesNamingTheInput(String input) {
        assertThatThrownBy(() -> Sizes.parse(input)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid size \"" + input + "\"");
    }
}
