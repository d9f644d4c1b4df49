package dev.drawbridge.values;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.drawbridge.json.Mappers;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommitIdTest {

    private static final String SHA1 = "4f2c1a9b0e3d4f2c1a9b0e3d4f2c1a9b0e3d4f2c";
    private static final String SHA256 = "4f2c1a9b0e3d" + "0".repeat(52);

    @Test
    void acceptsAFullSha1OrSha256AndPrintsTheHex() {
        assertThat(CommitId.of(SHA1).toString()).isEqualTo(SHA1);
        assertThat(CommitId.of(SHA256).hex()).isEqualTo(SHA256);
        assertThat(CommitId.of(SHA1)).isEqualTo(new CommitId(SHA1));
    }

    @Test
    void abbreviatesToTwelveCharacters() {
        assertThat(CommitId.of(SHA1).abbreviated()).isEqualTo("4f2c1a9b0e3d");
        assertThat(CommitId.of(SHA256).abbreviated()).isEqualTo("4f2c1a9b0e3d");
    }

    @Test
    void refusesWhatIsNotAFullLowerCaseCommitIdNamingTheInput() {
        for (String bad : List.of("", "4f2c1a9", SHA1.toUpperCase(), SHA1 + "0", SHA1.substring(1) + "g", "main",
                "sha1:" + SHA1, SHA1 + " ")) {
            assertThatThrownBy(() -> CommitId.of(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("invalid commit id \"" + bad + "\" (expected 40 or 64 lower-case hex characters)");
        }
        assertThatThrownBy(() -> CommitId.of(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void isWrittenAsThePlainHexInJsonAndReadBack() throws Exception {
        String json = Mappers.TREES.writeValueAsString(Map.of("revision", CommitId.of(SHA1)));
        assertThat(json).isEqualTo("{\"revision\":\"" + SHA1 + "\"}");
        Map<String, CommitId> back = Mappers.TREES.readValue(json, new TypeReference<>() { });
        assertThat(back.get("revision")).isEqualTo(CommitId.of(SHA1));
    }

    @Test
    void refusesAnInvalidIdInJson() {
        assertThatThrownBy(() -> Mappers.TREES.readValue("\"abc\"", CommitId.class))
                .hasMessageContaining("invalid commit id \"abc\"");
    }
}
