package dev.drawbridge.report.forge;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.drawbridge.report.forge.CommitStatus.State;
import dev.drawbridge.report.forge.ForgeFixtures.RecordingSleeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.drawbridge.report.forge.ForgeFixtures.CLOCK;
import static dev.drawbridge.report.forge.ForgeFixtures.HTTP;
import static dev.drawbridge.report.forge.ForgeFixtures.SHA;
import static dev.drawbridge.report.forge.ForgeFixtures.TOKEN;
import static dev.drawbridge.report.forge.ForgeFixtures.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GitLabStatusReporterTest {

    static final String PATH = "/api/v4/projects/platform%2Fdeploy/statuses/" + SHA;

    WireMockServer server;
    RecordingSleeper sleeper = new RecordingSleeper();
    GitLabStatusReporter reporter;

    @BeforeEach
    void start() {
        server = ForgeFixtures.startServer();
        reporter = gitlab("platform/deploy");
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    GitLabStatusReporter gitlab(String project) {
        return new GitLabStatusReporter(ForgeFixtures.api(server, "/api/v4"), project, () -> TOKEN, HTTP, CLOCK, sleeper);
    }

    @Test
    void postsTheStatusWithPrivateTokenRefAndName() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(201).withBody("{}")));

        reporter.report(status("dev", State.SUCCESS, "passed: 3 image(s) verified"));

        server.verify(1, postRequestedFor(urlEqualTo(PATH))
                .withHeader("PRIVATE-TOKEN", equalTo(TOKEN))
                .withHeader("Authorization", absent())
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"state": "success", "ref": "env/dev", "name": "drawbridge/dev",
                         "target_url": "https://drawbridge.example.com/environments/dev/decisions/%s",
                         "description": "passed: 3 image(s) verified"}""".formatted(SHA))));
    }

    @Test
    void acceptsANumericProjectIdAndAnAlreadyEncodedPath() throws Exception {
        server.stubFor(post(urlEqualTo("/api/v4/projects/42/statuses/" + SHA)).willReturn(aResponse().withStatus(201)));
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(201)));

        gitlab("42").report(status("dev", State.PENDING, "verifying"));
        gitlab("platform%2Fdeploy").report(status("dev", State.PENDING, "verifying"));

        server.verify(1, postRequestedFor(urlEqualTo("/api/v4/projects/42/statuses/" + SHA)));
        server.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void mapsFailureAndErrorToFailed() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(201)));
        Map<String, Integer> expected = Map.of("pending", 1, "success", 1, "failed", 2);

        for (State state : State.values()) {
            reporter.report(status("dev", state, "x"));
        }

        expected.forEach((name, count) -> server.verify(count, postRequestedFor(urlEqualTo(PATH))
                .withRequestBody(matchingJsonPath("$.state", equalTo(name)))));
    }

    @Test
    void truncatesTheDescriptionTo140Characters() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(201)));

        reporter.report(status("dev", State.FAILURE, "blocked: " + "y".repeat(300)));

        server.verify(postRequestedFor(urlEqualTo(PATH))
                .withRequestBody(matchingJsonPath("$.description", equalTo("blocked: " + "y".repeat(130) + "…"))));
    }

    @Test
    void treatsARepeatedSameStateTransitionAsAlreadyReported() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody(ForgeFixtures.resource("gitlab-400-cannot-transition.json"))));

        reporter.report(status("dev", State.PENDING, "verifying"));

        server.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void reportsAnyOtherBadRequestAsNotRetryable() {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(400)
                .withBody("{\"message\": \"400 Bad request - state does not have a valid value\"}")));

        assertThatThrownBy(() -> reporter.report(status("dev", State.SUCCESS, "passed")))
                .isInstanceOfSatisfying(ForgeException.class, e -> {
                    assertThat(e.forge()).isEqualTo("gitlab");
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("state does not have a valid value");
                });
    }
}
