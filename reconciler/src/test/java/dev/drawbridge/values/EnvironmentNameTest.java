package dev.drawbridge.values;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.drawbridge.json.Mappers;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvironmentNameTest {

    @Test
    void acceptsADnsLabelAndPrintsItAsIs() {
        assertThat(EnvironmentName.of("production").toString()).isEqualTo("production");
        assertThat(EnvironmentName.of("eu-west-1").value()).isEqualTo("eu-west-1");
        assertThat(EnvironmentName.of("a".repeat(63)).value()).hasSize(63);
        assertThat(EnvironmentName.of("dev")).isEqualTo(new EnvironmentName("dev"));
    }

    @Test
    void refusesWhatIsNotADnsLabelNamingTheInput() {
        for (String bad : List.of("", "Production", "prod_1", "-dev", "dev-", "a.b", "dév", "a".repeat(64), "prod ")) {
            assertThatThrownBy(() -> EnvironmentName.of(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("invalid environment name \"" + bad
                            + "\" (expected lower-case letters, digits and '-', at most 63, e.g. production)");
        }
        assertThatThrownBy(() -> EnvironmentName.of(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void parsesInputWhereAnInvalidNameIsOnlyUnknown() {
        assertThat(EnvironmentName.parse("staging")).contains(EnvironmentName.of("staging"));
        assertThat(EnvironmentName.parse("../etc")).isEmpty();
        assertThat(EnvironmentName.parse(null)).isEmpty();
    }

    @Test
    void sortsByName() {
        assertThat(List.of(EnvironmentName.of("prod"), EnvironmentName.of("dev"), EnvironmentName.of("acceptance"))
                .stream().sorted().map(EnvironmentName::value).toList()).containsExactly("acceptance", "dev", "prod");
    }

    @Test
    void isWrittenAsThePlainStringInJsonAndReadBack() throws Exception {
        String json = Mappers.TREES.writeValueAsString(Map.of("environment", EnvironmentName.of("production")));
        assertThat(json).isEqualTo("{\"environment\":\"production\"}");
        Map<String, EnvironmentName> back = Mappers.TREES.readValue(json, new TypeReference<>() { });
        assertThat(back.get("environment")).isEqualTo(EnvironmentName.of("production"));
    }

    @Test
    void refusesAnInvalidNameInJson() {
        assertThatThrownBy(() -> Mappers.TREES.readValue("\"Prod\"", EnvironmentName.class))
                .hasMessageContaining("invalid environment name \"Prod\"");
    }
}
