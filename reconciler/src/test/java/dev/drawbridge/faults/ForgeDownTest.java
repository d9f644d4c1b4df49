package dev.drawbridge.faults;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.drawbridge.apply.testing.MutableClock;
import dev.drawbridge.report.forge.AsyncReporter;
import dev.drawbridge.report.forge.CommitStatus;
import dev.drawbridge.report.forge.ForgeKind;
import dev.drawbridge.report.forge.StatusReporters;
import dev.drawbridge.retry.Backoff;
import dev.drawbridge.values.CommitId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The forge (GitHub's API, {@code POST /repos/{owner}/{repo}/statuses/{sha}}) is down for 10 minutes while
 * statuses are decided. The reporter backs off on an injected clock (no real minutes pass); once the forge is back
 * every status arrives, the latest state of each sha and context, exactly once.
 */
class ForgeDownTest {

    static final String SHA_1 = "1111111111111111111111111111111111111111";
    static final String SHA_2 = "2222222222222222222222222222222222222222";

    WireMockServer forge;
    MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));
    Instant backAt = clock.instant().plus(Duration.ofMinutes(10));

    @BeforeEach
    void start() {
        forge = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        forge.start();
        forge.stubFor(post(urlPathMatching("/repos/platform/deploy/statuses/.*"))
                .willReturn(aResponse().withStatus(503).withBody("{\"message\":\"Service Unavailable\"}")));
    }

    @AfterEach
    void stop() {
        forge.stop();
    }

    /** Waits by moving the clock; the forge comes back once 10 minutes have passed. */
    void sleep(Duration duration) {
        clock.advance(duration);
        if (!clock.instant().isBefore(backAt)) {
            forge.resetMappings();
            forge.stubFor(post(urlPathMatching("/repos/platform/deploy/statuses/.*"))
                    .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody("{\"id\":1}")));
        }
    }

    static CommitStatus status(String sha, CommitStatus.State state) {
        return new CommitStatus(CommitId.of(sha), "env/production", "drawbridge/production", state, state.name().toLowerCase(),
                "https://drawbridge.example.com/environments/production/decisions/" + sha);
    }

    @Test
    void statusesDecidedWhileTheForgeIsDownForTenMinutesArriveAfterwardsOnceEach() throws Exception {
        var github = StatusReporters.create(ForgeKind.GITHUB, URI.create(forge.baseUrl()), "platform/deploy",
                () -> "forge-token", HttpClient.newHttpClient(), clock, d -> sleep(d));
        try (AsyncReporter reporter = new AsyncReporter(github, AsyncReporter.DEFAULT_CAPACITY,
                Backoff.delivery(), d -> sleep(d))) {
            reporter.report(status(SHA_1, CommitStatus.State.PENDING));
            reporter.report(status(SHA_1, CommitStatus.State.SUCCESS));
            reporter.report(status(SHA_2, CommitStatus.State.FAILURE));

            assertThat(reporter.flush(Duration.ofSeconds(30))).isTrue();
        }

        assertThat(clock.instant()).as("the forge was down for 10 minutes").isAfterOrEqualTo(backAt);
        List<ServeEvent> accepted = forge.getAllServeEvents().stream()
                .filter(e -> e.getResponse().getStatus() == 201).toList();
        Map<String, List<String>> bySha = accepted.stream().collect(Collectors.groupingBy(
                e -> e.getRequest().getUrl().substring(e.getRequest().getUrl().lastIndexOf('/') + 1),
                Collectors.mapping(e -> e.getRequest().getBodyAsString().replaceAll(".*\"state\"\\s*:\\s*\"([a-z]+)\".*", "$1"),
                        Collectors.toList())));
        assertThat(bySha).containsOnlyKeys(SHA_1, SHA_2);
        assertThat(bySha.get(SHA_1)).containsExactly("success");
        assertThat(bySha.get(SHA_2)).containsExactly("failure");
    }
}
