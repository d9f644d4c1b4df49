package dev.drawbridge.report.forge;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.drawbridge.report.forge.CommitStatus.State;
import dev.drawbridge.report.forge.ForgeFixtures.RecordingSleeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.drawbridge.report.forge.ForgeFixtures.CLOCK;
import static dev.drawbridge.report.forge.ForgeFixtures.HTTP;
import static dev.drawbridge.report.forge.ForgeFixtures.NOW;
import static dev.drawbridge.report.forge.ForgeFixtures.SHA;
import static dev.drawbridge.report.forge.ForgeFixtures.TOKEN;
import static dev.drawbridge.report.forge.ForgeFixtures.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rate limits are waited out on the injected sleeper and clock, never with a real sleep. */
class RateLimitTest {

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

    /** The first answer is {@code limited}, every later one 201. */
    void limitedOnceThenCreated(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder limited, String path) {
        server.stubFor(post(urlEqualTo(path)).inScenario("limit").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(limited).willSetStateTo("open"));
        server.stubFor(post(urlEqualTo(path)).inScenario("limit").whenScenarioStateIs("open")
                .willReturn(aResponse().withStatus(201)));
    }

    @Test
    void waitsForRetryAfterThenRetriesAndSucceeds() throws Exception {
        limitedOnceThenCreated(aResponse().withStatus(429).withHeader("Retry-After", "2"), PATH);

        reporter.report(status("dev", State.SUCCESS, "passed"));

        // the wait went through the injected sleeper, which only records it
        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(2));
        server.verify(2, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void waitsUntilTheResetWhenNoRequestsRemain() throws Exception {
        limitedOnceThenCreated(aResponse().withStatus(403)
                .withHeader("X-RateLimit-Limit", "5000")
                .withHeader("X-RateLimit-Remaining", "0")
                .withHeader("X-RateLimit-Reset", String.valueOf(NOW.plusSeconds(90).getEpochSecond()))
                .withBody(ForgeFixtures.resource("github-403-rate-limited.json")), PATH);

        reporter.report(status("dev", State.SUCCESS, "passed"));

        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(90));
        server.verify(2, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void capsAWaitUntilAFarReset() throws Exception {
        limitedOnceThenCreated(aResponse().withStatus(403)
                .withHeader("X-RateLimit-Remaining", "0")
                .withHeader("X-RateLimit-Reset", String.valueOf(NOW.plusSeconds(7200).getEpochSecond())), PATH);

        reporter.report(status("dev", State.SUCCESS, "passed"));

        assertThat(sleeper.waits).containsExactly(Duration.ofMinutes(15));
    }

    @Test
    void waitsForGitLabsRateLimitHeadersToo() throws Exception {
        String path = "/api/v4/projects/42/statuses/" + SHA;
        GitLabStatusReporter gitlab = new GitLabStatusReporter(ForgeFixtures.api(server, "/api/v4"), "42", () -> TOKEN,
                HTTP, CLOCK, sleeper);
        limitedOnceThenCreated(aResponse().withStatus(429)
                .withHeader("RateLimit-Remaining", "0")
                .withHeader("RateLimit-Reset", String.valueOf(NOW.plusSeconds(30).getEpochSecond())), path);

        gitlab.report(status("dev", State.SUCCESS, "passed"));

        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(30));
    }

    @Test
    void treatsAForbiddenAnswerWithoutRateLimitHeadersAsAnErrorNotAWait() {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(403)
                .withBody("{\"message\": \"Resource not accessible by integration\"}")));

        assertThatThrownBy(() -> reporter.report(status("dev", State.SUCCESS, "passed")))
                .isInstanceOfSatisfying(ForgeException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("Resource not accessible by integration");
                });
        assertThat(sleeper.waits).isEmpty();
    }

    @Test
    void givesUpAfterAFewWaitsAndLetsTheCallerRetryLater() {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")));

        assertThatThrownBy(() -> reporter.report(status("dev", State.SUCCESS, "passed")))
                .isInstanceOfSatisfying(ForgeException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(429);
                    assertThat(e.retryable()).isTrue();
                });
        assertThat(sleeper.waits).hasSize(HttpStatusReporter.MAX_RATE_LIMIT_WAITS);
        server.verify(HttpStatusReporter.MAX_RATE_LIMIT_WAITS + 1, postRequestedFor(urlEqualTo(PATH)));
    }
}
