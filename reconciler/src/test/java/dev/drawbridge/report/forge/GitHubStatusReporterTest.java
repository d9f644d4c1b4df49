package dev.drawbridge.report.forge;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.drawbridge.report.forge.CommitStatus.State;
import dev.drawbridge.report.forge.ForgeFixtures.RecordingSleeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
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

class GitHubStatusReporterTest {

    static final String PATH = "/repos/platform/deploy/statuses/" + SHA;

    WireMockServer server;
    RecordingSleeper sleeper = new RecordingSleeper();
    GitHubStatusReporter reporter;

    @BeforeEach
    void start() {
        server = ForgeFixtures.startServer();
        reporter = new GitHubStatusReporter(ForgeFixtures.api(server, ""), "platform/deploy", () -> TOKEN, HTTP,
                CLOCK, sleeper);
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void postsTheStatusToTheCommitWithBearerTokenAndApiVersion() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(201).withBody("{}")));

        reporter.report(status("production", State.FAILURE, "blocked: shop/api CVE-2026-1234 CRITICAL (fix 3.0.15) +2 more"));

        server.verify(1, postRequestedFor(urlEqualTo(PATH))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("Accept", equalTo("application/vnd.github+json"))
                .withHeader("X-GitHub-Api-Version", equalTo("2022-11-28"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"state": "failure",
                         "target_url": "https://drawbridge.example.com/environments/production/decisions/%s",
                         "description": "blocked: shop/api CVE-2026-1234 CRITICAL (fix 3.0.15) +2 more",
                         "context": "drawbridge/production"}""".formatted(SHA))));
    }

    @Test
    void usesTheApiPathOfGitHubEnterprise() throws Exception {
        reporter = new GitHubStatusReporter(ForgeFixtures.api(server, "/api/v3/"), "platform/deploy", () -> TOKEN, HTTP,
                CLOCK, sleeper);
        server.stubFor(post(urlEqualTo("/api/v3" + PATH)).willReturn(aResponse().withStatus(201)));

        reporter.report(status("dev", State.PENDING, "verifying"));

        server.verify(1, postRequestedFor(urlEqualTo("/api/v3" + PATH)));
    }

    @Test
    void mapsEveryStateToGitHubsName() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(201)));
        Map<State, String> expected = Map.of(State.PENDING, "pending", State.SUCCESS, "success",
                State.FAILURE, "failure", State.ERROR, "error");

        for (State state : State.values()) {
            reporter.report(status("dev", state, "x"));
        }

        expected.forEach((state, name) -> server.verify(1, postRequestedFor(urlEqualTo(PATH))
                .withRequestBody(matchingJsonPath("$.state", equalTo(name)))));
    }

    @Test
    void truncatesTheDescriptionTo140Characters() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(201)));

        reporter.report(status("dev", State.ERROR, "error: " + "x".repeat(200)));

        String sent = server.getAllServeEvents().get(0).getRequest().getBodyAsString();
        String description = HttpStatusReporter.JSON.readTree(sent).get("description").asText();
        assertThat(description).hasSize(140).startsWith("error: xxx").endsWith("x…");
    }

    @Test
    void refusesAStatusBeyondTheLimitPerShaAndContextWithoutRetrying() {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(422)
                .withHeader("Content-Type", "application/json")
                .withBody(ForgeFixtures.resource("github-422-too-many-statuses.json"))));

        assertThatThrownBy(() -> reporter.report(status("dev", State.SUCCESS, "passed")))
                .isInstanceOfSatisfying(ForgeException.class, e -> {
                    assertThat(e.forge()).isEqualTo("github");
                    assertThat(e.statusCode()).isEqualTo(422);
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage())
                            .contains("drawbridge/dev@4f2c1a9b0e3d")
                            .contains("This SHA and context has reached the maximum number of statuses.");
                });
        server.verify(1, postRequestedFor(urlEqualTo(PATH)));
        assertThat(sleeper.waits).isEmpty();
    }

    @Test
    void reportsAServerErrorAsRetryable() {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(502)));

        assertThatThrownBy(() -> reporter.report(status("dev", State.SUCCESS, "passed")))
                .isInstanceOfSatisfying(ForgeException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(502);
                    assertThat(e.retryable()).isTrue();
                });
    }

    @Test
    void reportsAnUnreachableForgeAsRetryableWithoutAnAnswer() {
        int port = server.port();
        server.stop();

        assertThatThrownBy(() -> reporter.report(status("dev", State.SUCCESS, "passed")))
                .isInstanceOfSatisfying(ForgeException.class, e -> {
                    assertThat(e.statusCode()).isZero();
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.getMessage()).contains("cannot post drawbridge/dev");
                });
        server = new WireMockServer(port); // so that stop() in @AfterEach has something to stop
    }
}
