package dev.drawbridge.report.forge;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.drawbridge.report.forge.CommitStatus.State;
import dev.drawbridge.report.forge.ForgeFixtures.RecordingSleeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.drawbridge.report.forge.ForgeFixtures.CLOCK;
import static dev.drawbridge.report.forge.ForgeFixtures.HTTP;
import static dev.drawbridge.report.forge.ForgeFixtures.SHA;
import static dev.drawbridge.report.forge.ForgeFixtures.TOKEN;
import static dev.drawbridge.report.forge.ForgeFixtures.status;

/**
 * What the forge already holds is read before posting (GitHub {@code GET /repos/{o}/{r}/commits/{sha}/statuses},
 * GitLab {@code GET /projects/{id}/repository/commits/{sha}/statuses}, Gitea {@code GET /repos/{o}/{r}/statuses/{sha}}),
 * so a new process posts only what is missing or different, and {@code pending} only on a sha not decided yet.
 */
class QuietReporterTest {

    static final String DESCRIPTION = "passed: 1 image verified";

    WireMockServer server;
    RecordingSleeper sleeper = new RecordingSleeper();

    @BeforeEach
    void start() {
        server = ForgeFixtures.startServer();
        server.stubFor(post(urlPathMatching(".*/statuses/" + SHA)).willReturn(aResponse().withStatus(201).withBody("{}")));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    static String listPath(ForgeKind kind) {
        return switch (kind) {
            case GITHUB -> "/repos/platform/deploy/commits/" + SHA + "/statuses?per_page=100";
            case GITLAB -> "/projects/platform%2Fdeploy/repository/commits/" + SHA + "/statuses?name=drawbridge%2Fproduction&per_page=100";
            case GITEA -> "/repos/platform/deploy/statuses/" + SHA + "?sort=recentupdate&limit=100";
        };
    }

    /** The forge lists an older pending and a newer outcome of our context, and a status of another one. */
    void forgeHolds(ForgeKind kind, String state, String description) {
        String stateField = kind == ForgeKind.GITHUB ? "state" : "status";
        String contextField = kind == ForgeKind.GITLAB ? "name" : "context";
        String body = """
                [{"id": 12, "%1$s": "pending", "%2$s": "drawbridge/production", "description": "verifying"},
                 {"id": 30, "%1$s": "%3$s", "%2$s": "drawbridge/production", "description": "%4$s"},
                 {"id": 31, "%1$s": "failure", "%2$s": "ci/build", "description": "red"}]
                """.formatted(stateField, contextField, state, description);
        server.stubFor(get(urlEqualTo(listPath(kind))).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    StatusReporter reporter(ForgeKind kind) {
        StatusReporter forge = switch (kind) {
            case GITHUB -> new GitHubStatusReporter(ForgeFixtures.api(server, ""), "platform/deploy", () -> TOKEN, HTTP, CLOCK, sleeper);
            case GITLAB -> new GitLabStatusReporter(ForgeFixtures.api(server, ""), "platform/deploy", () -> TOKEN, HTTP, CLOCK, sleeper);
            case GITEA -> new GiteaStatusReporter(ForgeFixtures.api(server, ""), "platform/deploy", () -> TOKEN, HTTP, CLOCK, sleeper);
        };
        return new QuietReporter(forge, new ForgeStatusReader(
                new ForgeApi(kind, ForgeFixtures.api(server, ""), () -> TOKEN, HTTP, CLOCK, sleeper), "platform/deploy"));
    }

    @ParameterizedTest
    @EnumSource(ForgeKind.class)
    void doesNotPostWhatTheForgeAlreadyHolds(ForgeKind kind) throws Exception {
        forgeHolds(kind, "success", DESCRIPTION);
        StatusReporter reporter = reporter(kind);

        reporter.report(status("production", State.PENDING, "verifying images against the production policy"));
        reporter.report(status("production", State.SUCCESS, DESCRIPTION));

        server.verify(0, postRequestedFor(anyUrl()));
        server.verify(1, getRequestedFor(urlEqualTo(listPath(kind))));
    }

    @ParameterizedTest
    @EnumSource(ForgeKind.class)
    void postsAnOutcomeThatDiffersButNoPendingOnADecidedSha(ForgeKind kind) throws Exception {
        forgeHolds(kind, "success", DESCRIPTION);
        StatusReporter reporter = reporter(kind);

        reporter.report(status("production", State.PENDING, "verifying images against the production policy"));
        reporter.report(status("production", State.FAILURE, "blocked: shop/api CVE-2026-1234 CRITICAL (fix 3.0.15)"));
        reporter.report(status("production", State.FAILURE, "blocked: shop/api CVE-2026-1234 CRITICAL (fix 3.0.15)"));

        server.verify(1, postRequestedFor(anyUrl()));
        server.verify(1, getRequestedFor(urlEqualTo(listPath(kind))));
    }

    @ParameterizedTest
    @EnumSource(ForgeKind.class)
    void postsPendingAndTheOutcomeOnANewSha(ForgeKind kind) throws Exception {
        server.stubFor(get(urlEqualTo(listPath(kind))).willReturn(aResponse().withStatus(200).withBody("[]")));
        StatusReporter reporter = reporter(kind);

        reporter.report(status("production", State.PENDING, "verifying"));
        reporter.report(status("production", State.SUCCESS, DESCRIPTION));

        server.verify(2, postRequestedFor(anyUrl()));
    }

    @Test
    void postsWhenTheForgeCannotBeRead() throws Exception {
        server.stubFor(get(urlEqualTo(listPath(ForgeKind.GITHUB))).willReturn(aResponse().withStatus(500)));

        reporter(ForgeKind.GITHUB).report(status("production", State.SUCCESS, DESCRIPTION));

        server.verify(1, postRequestedFor(anyUrl()));
    }
}
