package dev.drawbridge.reconcile;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.drawbridge.apply.ChangeSet;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.gate.Decision;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.gate.GateResult;
import dev.drawbridge.report.forge.AsyncReporter;
import dev.drawbridge.report.forge.ForgeKind;
import dev.drawbridge.report.forge.StatusReporters;
import dev.drawbridge.retry.Backoff;
import dev.drawbridge.values.CommitId;
import dev.drawbridge.values.EnvironmentName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What is owed to the forge survives a restart without a queue of its own: every reconcile derives the status
 * its decision calls for, and the forge is asked what it holds. A forge that answered 500 until the process
 * stopped gets the status from the next process's first reconcile, once, and a further restart posts nothing.
 */
class StatusesAcrossRestartTest {

    static final String SHA = "4f2c1a9b0e3d5f6a7b8c9d0e1f2a3b4c5d6e7f80";
    static final String POSTS = "/repos/platform/deploy/statuses/" + SHA;
    static final String LIST = "/repos/platform/deploy/commits/" + SHA + "/statuses?per_page=100";
    static final EnvironmentConfig DEV = new EnvironmentConfig(EnvironmentName.of("dev"), "env/dev", "dev", null, true, Duration.ofMinutes(1),
            null, false, false, Duration.ofMinutes(5), List.of());
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    WireMockServer github;

    @BeforeEach
    void start() {
        github = new WireMockServer(com.github.tomakehurst.wiremock.core.WireMockConfiguration.options().dynamicPort());
        github.start();
    }

    @AfterEach
    void stop() {
        github.stop();
    }

    /** One process: its own reporter, nothing remembered from an earlier one; it reconciles DEV once. */
    void processReconcilesOnce(ReconcileOutcome outcome) {
        AsyncReporter async = new AsyncReporter(StatusReporters.create(ForgeKind.GITHUB, URI.create(github.baseUrl()),
                "platform/deploy", () -> "ghp_restart_token", HTTP, Clock.systemUTC(), d -> { }),
                100, new Backoff(3, Duration.ofMillis(1), Duration.ofMillis(4)), d -> { });
        try (CommitStatuses statuses = new CommitStatuses(async, URI.create("https://drawbridge.example.com"), null)) {
            statuses.verifying(DEV, CommitId.of(SHA), "f".repeat(40));
            statuses.decided(DEV, outcome);
            assertThat(statuses.flush(Duration.ofSeconds(20))).isTrue();
        }
    }

    @Test
    void aStatusTheForgeRefusedWith500IsPostedOnceAfterARestartAndNeverAgain() {
        ReconcileOutcome applied = new ReconcileOutcome.Applied(new GateReport(EnvironmentName.of("dev"), CommitId.of(SHA), "f".repeat(40), "dev",
                new GateResult(Decision.PASS, List.of(), List.of(), List.of(), List.of())), ChangeSet.empty());
        github.stubFor(get(urlEqualTo(LIST)).willReturn(aResponse().withStatus(500)));
        github.stubFor(post(urlEqualTo(POSTS)).willReturn(aResponse().withStatus(500)));

        processReconcilesOnce(applied); // the forge is down: every attempt fails, the process stops

        assertThat(github.findAll(postRequestedFor(urlEqualTo(POSTS)))).as("retried with backoff").hasSizeGreaterThan(1);
        github.resetAll();
        github.stubFor(get(urlEqualTo(LIST)).willReturn(aResponse().withBody("""
                [{"id": 1, "state": "pending", "context": "drawbridge/dev", "description": "verifying images against the dev policy"}]""")));
        github.stubFor(post(urlEqualTo(POSTS)).willReturn(aResponse().withStatus(201)));

        processReconcilesOnce(applied); // restarted, the forge is back

        assertThat(github.findAll(postRequestedFor(urlEqualTo(POSTS)))).hasSize(1)
                .allSatisfy(r -> assertThat(r.getBodyAsString()).contains("\"state\":\"success\"", "\"context\":\"drawbridge/dev\""));
        github.resetRequests();
        github.stubFor(get(urlEqualTo(LIST)).willReturn(aResponse().withBody("""
                [{"id": 1, "state": "pending", "context": "drawbridge/dev", "description": "verifying images against the dev policy"},
                 {"id": 2, "state": "success", "context": "drawbridge/dev", "description": "passed: 0 image(s) verified"}]""")));

        processReconcilesOnce(applied); // restarted again, nothing changed

        assertThat(github.findAll(postRequestedFor(urlEqualTo(POSTS)))).isEmpty();
    }
}
