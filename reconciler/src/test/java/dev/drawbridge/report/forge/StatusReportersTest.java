package dev.drawbridge.report.forge;

import dev.drawbridge.report.forge.CommitStatus.State;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static dev.drawbridge.report.forge.ForgeFixtures.HTTP;
import static dev.drawbridge.report.forge.ForgeFixtures.TOKEN;
import static dev.drawbridge.report.forge.ForgeFixtures.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StatusReportersTest {

    static final URI API = URI.create("https://forge.example.com/api/v4");

    @Test
    void wrapsEachForgeSoNoStatusIsPostedTwice() {
        assertThat(StatusReporters.create(ForgeKind.GITHUB, null, "platform/deploy", () -> TOKEN, HTTP))
                .isInstanceOf(DeduplicatingReporter.class).hasToString(
                        "DeduplicatingReporter[QuietReporter[GitHubStatusReporter[https://api.github.com, platform/deploy]]]");
        assertThat(StatusReporters.create(ForgeKind.GITLAB, API, "42", () -> TOKEN, HTTP).toString())
                .contains("GitLabStatusReporter");
        assertThat(StatusReporters.create(ForgeKind.GITEA, API, "platform/deploy", () -> TOKEN, HTTP).toString())
                .contains("GiteaStatusReporter");
        assertThat(StatusReporters.gitNotes((sha, edit) -> { }).toString())
                .startsWith("DeduplicatingReporter[GitNotesStatusReporter[");
    }

    @Test
    void reportsNothingForNone() {
        StatusReporter none = StatusReporters.none();

        assertThat(none).hasToString("no forge");
        assertThatCode(() -> none.report(status("dev", State.SUCCESS, "passed"))).doesNotThrowAnyException();
    }

    @Test
    void refusesWhatAForgeCannotWorkWithout() {
        assertThatThrownBy(() -> StatusReporters.create(ForgeKind.GITLAB, null, "42", () -> TOKEN, HTTP))
                .hasMessageContaining("forge.api-url").hasMessageContaining("gitlab");
        assertThatThrownBy(() -> StatusReporters.create(ForgeKind.GITHUB, null, "deploy", () -> TOKEN, HTTP))
                .hasMessageContaining("owner/name").hasMessageContaining("deploy");
        assertThatThrownBy(() -> StatusReporters.gitNotes(null))
                .hasMessageContaining("note store");
    }
}
