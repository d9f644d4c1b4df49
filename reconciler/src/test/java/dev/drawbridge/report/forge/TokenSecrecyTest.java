package dev.drawbridge.report.forge;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.drawbridge.report.forge.CommitStatus.State;
import dev.drawbridge.report.forge.ForgeFixtures.LogCapture;
import dev.drawbridge.report.forge.ForgeFixtures.RecordingSleeper;
import dev.drawbridge.retry.Backoff;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.drawbridge.report.forge.ForgeFixtures.CLOCK;
import static dev.drawbridge.report.forge.ForgeFixtures.HTTP;
import static dev.drawbridge.report.forge.ForgeFixtures.TOKEN;
import static dev.drawbridge.report.forge.ForgeFixtures.status;
import static org.assertj.core.api.Assertions.assertThat;

/** The token is read at use and never shows in a log line, an exception message or a toString. */
class TokenSecrecyTest {

    WireMockServer server;

    @BeforeEach
    void start() {
        server = ForgeFixtures.startServer();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    List<StatusReporter> everyForge() {
        List<StatusReporter> reporters = new ArrayList<>();
        for (ForgeKind kind : ForgeKind.values()) {
            reporters.add(StatusReporters.create(kind, ForgeFixtures.api(server, "/api"), "platform/deploy",
                    () -> TOKEN, HTTP, CLOCK, new RecordingSleeper()));
        }
        return reporters;
    }

    @Test
    void keepsTheTokenOutOfErrorsEvenWhenTheForgeEchoesIt() {
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(401)
                .withBody("{\"message\": \"Bad credentials: " + TOKEN + "\"}")));
        List<String> messages = new ArrayList<>();

        try (LogCapture logs = new LogCapture()) {
            for (StatusReporter reporter : everyForge()) {
                try {
                    reporter.report(status("dev", State.SUCCESS, "passed"));
                } catch (ForgeException e) {
                    messages.add(e.getMessage());
                    messages.add(String.valueOf(e));
                }
                messages.add(reporter.toString());
            }
            assertThat(logs.text()).doesNotContain(TOKEN);
        }

        assertThat(messages).hasSize(9).allSatisfy(m -> assertThat(m).doesNotContain(TOKEN));
        assertThat(messages.get(0)).contains("Bad credentials: ****");
    }

    @Test
    void keepsTheTokenOutOfEveryLogLineOfAnAsyncReporter() throws Exception {
        server.stubFor(any(urlPathMatching(".*/statuses/.*")).inScenario("s")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withBody("{\"message\": \"slow down " + TOKEN + "\"}")));

        try (LogCapture logs = new LogCapture()) {
            for (StatusReporter reporter : everyForge()) {
                try (AsyncReporter async = new AsyncReporter(reporter, 10,
                        new Backoff(2, Duration.ofSeconds(1), Duration.ofSeconds(1)), new RecordingSleeper())) {
                    async.report(status("dev", State.FAILURE, "blocked"));
                    assertThat(async.flush(Duration.ofSeconds(10))).isTrue();
                    assertThat(async.stats().failed()).isEqualTo(1);
                    assertThat(async.toString()).doesNotContain(TOKEN);
                }
            }
            assertThat(logs.text()).contains("rate limited").contains("could not post").doesNotContain(TOKEN);
        }
    }

    @Test
    void reportsATokenThatCannotBeReadAsRetryable() {
        StatusReporter reporter = new GitHubStatusReporter(ForgeFixtures.api(server, ""), "platform/deploy", () -> {
            throw new java.io.UncheckedIOException(new java.io.IOException("/var/run/secrets/forge-token: gone"));
        }, HTTP, CLOCK, new RecordingSleeper());

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> reporter.report(status("dev", State.SUCCESS, "a")))
                .isInstanceOfSatisfying(ForgeException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.getMessage()).contains("cannot read the token").contains("UncheckedIOException");
                });
        assertThat(server.getAllServeEvents()).isEmpty();
    }

    @Test
    void readsTheTokenAtEveryPost() throws Exception {
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(201)));
        int[] reads = {0};
        StatusReporter reporter = new GitHubStatusReporter(ForgeFixtures.api(server, ""), "platform/deploy", () -> {
            reads[0]++;
            return TOKEN;
        }, HTTP, CLOCK, new RecordingSleeper());

        reporter.report(status("dev", State.PENDING, "a"));
        reporter.report(status("dev", State.SUCCESS, "b"));

        assertThat(reads[0]).isEqualTo(2);
    }
}
