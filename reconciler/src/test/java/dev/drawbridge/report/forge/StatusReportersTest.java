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
        assertThat(StatusReporters.create("github", null, "platform/deploy", () -> TOKEN, HTTP, null))
                .isInstanceOf(DeduplicatingReporter.class).hasToString(
                        "DeduplicatingReporter[QuietReporter[GitHubStatusReporter[https://api.github.com, platform/deploy]]]");
        assertThat(StatusReporters.create("GitLab", API, "42", () -> TOKEN, HTTP, null).toString())
                .contains("GitLabStatusReporter");
        assertThat(StatusReporters.create("gitea", API, "platform/deploy", () -> TOKEN, HTTP, null).toString())
                .contains("GiteaStatusReporter");
        assertThat(StatusReporters.create("forgejo", API, "platform/deploy", () -> TOKEN, HTTP, null).toString())
                .contains("GiteaStatusReporter");
        assertThat(StatusReporters.create("git-notes", null, null, () -> null, null, (sha, edit) -> { }).toString())
                .contains("GitNotesStatusReporter");
    }

    @Test
    void reportsNothingForNone() {
        StatusReporter none = StatusReporters.create("none", null, null, null, null, null);

        assertThat(none).isSameAs(StatusReporters.none());
        assertThatCode(() -> none.report(status("dev", State.SUCCESS, "passed"))).doesNotThrowAnyException();
    }

    @Test
    void refusesAnUnknownTypeByName() {
        assertThatThrownBy(() -> StatusReporters.create("bitbucket", API, "a/b", () -> TOKEN, HTTP, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bitbucket").hasMessageContaining("github, gitlab, gitea, git-notes or none");
    }

    @Test
    void refusesWhatAForgeCannotWorkWithout() {
        assertThatThrownBy(() -> StatusReporters.create("gitlab", null, "42", () -> TOKEN, HTTP, null))
                .hasMessageContaining("forge.api-url");
        assertThatThrownBy(() -> StatusReporters.create("github", null, "deploy", () -> TOKEN, HTTP, null))
                .hasMessageContaining("owner/name").hasMessageContaining("deploy");
        assertThatThrownBy(() -> StatusReporters.create("git-notes", null, null, () -> null, null, null))
                .hasMessageContaining("note store");
    }
}
