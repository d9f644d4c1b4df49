package dev.drawbridge.report.forge;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.drawbridge.report.forge.CommitStatus.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
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

class DeduplicatingReporterTest {

    static final String PATH = "/repos/platform/deploy/statuses/" + SHA;

    WireMockServer server;
    StatusReporter reporter;

    @BeforeEach
    void start() {
        server = ForgeFixtures.startServer();
        reporter = StatusReporters.create(ForgeKind.GITHUB, ForgeFixtures.api(server, ""), "platform/deploy", () -> TOKEN,
                HTTP, CLOCK, new ForgeFixtures.RecordingSleeper());
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void postsTheSameStatusOnlyOnce() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(201)));

        reporter.report(status("dev", State.SUCCESS, "passed: 3 image(s) verified"));
        reporter.report(status("dev", State.SUCCESS, "passed: 3 image(s) verified"));

        server.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void postsAgainWhenTheDescriptionChanges() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(201)));

        reporter.report(status("dev", State.FAILURE, "blocked: shop/api CVE-2026-1234 CRITICAL"));
        reporter.report(status("dev", State.FAILURE, "blocked: shop/api CVE-2026-9999 HIGH"));

        server.verify(2, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void postsAgainWhenTheStateChangesAndForEachContext() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(201)));

        reporter.report(status("dev", State.PENDING, "verifying"));
        reporter.report(status("dev", State.SUCCESS, "verifying"));
        reporter.report(status("production", State.SUCCESS, "verifying"));

        server.verify(3, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void remembersAStatusOnlyAfterTheForgeAcceptedIt() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500)).willSetStateTo("up"));
        server.stubFor(post(urlEqualTo(PATH)).inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(201)));

        assertThatThrownBy(() -> reporter.report(status("dev", State.SUCCESS, "passed")))
                .isInstanceOf(ForgeException.class);
        reporter.report(status("dev", State.SUCCESS, "passed"));
        reporter.report(status("dev", State.SUCCESS, "passed"));

        server.verify(2, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void forgetsTheLeastRecentlyUsedKeysBeyondItsBound() throws Exception {
        List<CommitStatus> posted = new ArrayList<>();
        DeduplicatingReporter dedup = new DeduplicatingReporter(posted::add, 2);

        dedup.report(status("dev", State.SUCCESS, "a"));
        dedup.report(status("acceptance", State.SUCCESS, "a"));
        dedup.report(status("dev", State.SUCCESS, "a"));         // still known, touched
        dedup.report(status("production", State.SUCCESS, "a"));  // evicts acceptance
        dedup.report(status("dev", State.SUCCESS, "a"));
        dedup.report(status("acceptance", State.SUCCESS, "a"));

        assertThat(posted).extracting(CommitStatus::context)
                .containsExactly("drawbridge/dev", "drawbridge/acceptance", "drawbridge/production", "drawbridge/acceptance");
    }
}
