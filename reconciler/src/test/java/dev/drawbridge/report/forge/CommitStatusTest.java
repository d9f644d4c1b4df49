package dev.drawbridge.report.forge;

import dev.drawbridge.report.forge.CommitStatus.State;
import dev.drawbridge.values.CommitId;
import org.junit.jupiter.api.Test;

import static dev.drawbridge.report.forge.ForgeFixtures.SHA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommitStatusTest {

    static CommitStatus withDescription(String description) {
        return new CommitStatus(CommitId.of(SHA), "env/dev", "drawbridge/dev", State.SUCCESS, description, null);
    }

    @Test
    void keepsADescriptionOf140Characters() {
        assertThat(withDescription("a".repeat(140)).description()).isEqualTo("a".repeat(140));
    }

    @Test
    void cutsALongerDescriptionTo140WithAnEllipsis() {
        String description = withDescription("a".repeat(141)).description();

        assertThat(description).hasSize(140).isEqualTo("a".repeat(139) + "…");
    }

    @Test
    void neverSplitsASurrogatePair() {
        String description = withDescription("a".repeat(138) + "😀😀😀").description();

        assertThat(description).isEqualTo("a".repeat(138) + "…");
    }

    @Test
    void makesTheDescriptionOneLine() {
        assertThat(withDescription("blocked:\n  shop/api\r\nCVE-1").description()).isEqualTo("blocked: shop/api CVE-1");
        assertThat(withDescription(null).description()).isEmpty();
    }

    @Test
    void refusesAMissingShaAndABlankContext() {
        assertThatThrownBy(() -> new CommitStatus(null, null, "drawbridge/dev", State.SUCCESS, "", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Invalid commit sha: null");
        assertThatThrownBy(() -> new CommitStatus(CommitId.of(SHA), null, " ", State.SUCCESS, "", null))
                .hasMessageContaining("context");
    }

    @Test
    void readsAsContextShaAndState() {
        assertThat(withDescription("x")).hasToString("drawbridge/dev@4f2c1a9b0e3d SUCCESS");
    }
}
