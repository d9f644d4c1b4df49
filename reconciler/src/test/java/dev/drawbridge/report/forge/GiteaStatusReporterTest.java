package dev.drawbridge.report.forge;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.drawbridge.report.forge.CommitStatus.State;
import dev.drawbridge.report.forge.ForgeFixtures.RecordingSleeper;
import dev.drawbridge.values.CommitId;
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

class GiteaStatusReporterTest {

    static final String PATH = "/api/v1/repos/platform/deploy/statuses/" + SHA;

    WireMockServer server;
    RecordingSleeper sleeper = new RecordingSleeper();
    GiteaStatusReporter reporter;

    @BeforeEach
    void start() {
        server = ForgeFixtures.startServer();
        reporter = new GiteaStatusReporter(ForgeFixtures.api(server, "/api/v1"), "platform/deploy", () -> TOKEN, HTTP,
                CLOCK, sleeper);
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void postsTheStatusWithTheTokenScheme() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(201).withBody("{}")));

        reporter.report(status("acceptance", State.ERROR, "error: could not verify harbor.example.com (timeout)"));

        server.verify(1, postRequestedFor(urlEqualTo(PATH))
                .withHeader("Authorization", equalTo("token " + TOKEN))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"state": "error",
                         "target_url": "https://drawbridge.example.com/environments/acceptance/decisions/%s",
                         "description": "error: could not verify harbor.example.com (timeout)",
                         "context": "drawbridge/acceptance"}""".formatted(SHA))));
    }

    @Test
    void mapsEveryStateToGiteasName() throws Exception {
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

        reporter.report(status("dev", State.FAILURE, "z".repeat(141)));

        server.verify(postRequestedFor(urlEqualTo(PATH))
                .withRequestBody(matchingJsonPath("$.description", equalTo("z".repeat(139) + "…"))));
    }

    @Test
    void omitsTheTargetUrlWhenThereIsNone() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(201)));

        reporter.report(new CommitStatus(CommitId.of(SHA), null, "drawbridge/dev", State.SUCCESS, "passed", null));

        server.verify(postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson(
                "{\"state\": \"success\", \"description\": \"passed\", \"context\": \"drawbridge/dev\"}")));
    }

    @Test
    void reportsAnUnauthorizedAnswerAsNotRetryable() {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(401)
                .withBody("{\"message\": \"token is required\"}")));

        assertThatThrownBy(() -> reporter.report(status("dev", State.SUCCESS, "passed")))
                .isInstanceOfSatisfying(ForgeException.class, e -> {
                    assertThat(e.forge()).isEqualTo("gitea");
                    assertThat(e.statusCode()).isEqualTo(401);
                    assertThat(e.retryable()).isFalse();
                });
    }
}
