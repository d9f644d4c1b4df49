package dev.drawbridge.report.forge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.drawbridge.report.forge.ForgeFixtures.RecordingSleeper;
import dev.drawbridge.retry.Backoff;
import dev.drawbridge.values.EnvironmentName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.request;
import static com.github.tomakehurst.wiremock.client.WireMock.requestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.drawbridge.report.forge.ForgeFixtures.CLOCK;
import static dev.drawbridge.report.forge.ForgeFixtures.HTTP;
import static dev.drawbridge.report.forge.ForgeFixtures.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One comment per pull request and environment on GitHub, GitLab and Gitea, at the exact paths of their APIs:
 * created once, edited in place at every new head, found again by its marker after a restart (among other
 * comments, on a later page), rate limits waited out, 5xx retried, the token never in a body.
 */
class ForgeCommentReporterTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String REPO = "platform/deploy";
    static final long PR = 7;

    WireMockServer server;
    RecordingSleeper sleeper = new RecordingSleeper();

    @BeforeEach
    void start() {
        server = ForgeFixtures.startServer();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    /** The paths of each forge, as its API documents them. */
    static String list(ForgeKind kind, int page) {
        return switch (kind) {
            case GITHUB -> "/repos/platform/deploy/issues/7/comments?per_page=100&page=" + page;
            case GITLAB -> "/projects/platform%2Fdeploy/merge_requests/7/notes?sort=asc&order_by=created_at&per_page=100&page=" + page;
            case GITEA -> "/repos/platform/deploy/issues/7/comments";
        };
    }

    static String create(ForgeKind kind) {
        return kind == ForgeKind.GITLAB ? "/projects/platform%2Fdeploy/merge_requests/7/notes" : "/repos/platform/deploy/issues/7/comments";
    }

    static String edit(ForgeKind kind, long id) {
        return kind == ForgeKind.GITLAB ? "/projects/platform%2Fdeploy/merge_requests/7/notes/" + id
                : "/repos/platform/deploy/issues/comments/" + id;
    }

    static String editMethod(ForgeKind kind) {
        return kind == ForgeKind.GITLAB ? "PUT" : "PATCH";
    }

    ForgeCommentReporter reporter(ForgeKind kind) {
        return new ForgeCommentReporter(new ForgeApi(kind, ForgeFixtures.api(server, ""), () -> TOKEN, HTTP, CLOCK, sleeper), REPO);
    }

    static PullRequestComment comment(String text) {
        return new PullRequestComment(PR, EnvironmentName.of("production"), text);
    }

    static ArrayNode comments(long firstId, int count) {
        ArrayNode list = JSON.createArrayNode();
        for (int i = 0; i < count; i++) {
            list.addObject().put("id", firstId + i).put("body", "LGTM " + i);
        }
        return list;
    }

    void stubList(ForgeKind kind, int page, ArrayNode items) {
        server.stubFor(get(urlEqualTo(list(kind, page))).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(items.toString())));
    }

    void stubCreate(ForgeKind kind, long id) {
        server.stubFor(post(urlEqualTo(create(kind))).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":" + id + ",\"body\":\"...\"}")));
    }

    void stubEdit(ForgeKind kind, long id) {
        server.stubFor(WireMock.request(editMethod(kind), urlEqualTo(edit(kind, id))).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":" + id + "}")));
    }

    RequestPatternBuilder edits(ForgeKind kind, long id) {
        return requestedFor(editMethod(kind), urlEqualTo(edit(kind, id)));
    }

    @ParameterizedTest
    @EnumSource(ForgeKind.class)
    void createsOneCommentThenEditsItInPlaceAtTheNextHead(ForgeKind kind) throws Exception {
        stubList(kind, 1, comments(1, 3));
        stubCreate(kind, 555);
        stubEdit(kind, 555);
        ForgeCommentReporter reporter = reporter(kind);

        reporter.publish(comment("head 1111111: **BLOCK**"));
        reporter.publish(comment("head 2222222: **PASS**"));

        server.verify(1, postRequestedFor(urlEqualTo(create(kind)))
                .withRequestBody(matchingJsonPath("$.body", equalTo("<!-- drawbridge:production -->\nhead 1111111: **BLOCK**"))));
        server.verify(1, edits(kind, 555)
                .withRequestBody(matchingJsonPath("$.body", equalTo("<!-- drawbridge:production -->\nhead 2222222: **PASS**"))));
        server.verify(1, getRequestedFor(urlEqualTo(list(kind, 1))));
        assertThat(server.findAll(postRequestedFor(anyUrl()))).as("never a second comment").hasSize(1);
        LoggedRequest created = server.findAll(postRequestedFor(anyUrl())).get(0);
        assertThat(created.getHeader(kind == ForgeKind.GITLAB ? "PRIVATE-TOKEN" : "Authorization"))
                .isEqualTo(switch (kind) {
                    case GITHUB -> "Bearer " + TOKEN;
                    case GITLAB -> TOKEN;
                    case GITEA -> "token " + TOKEN;
                });
    }

    @ParameterizedTest
    @EnumSource(ForgeKind.class)
    void afterARestartFindsItsCommentByTheMarkerAmongOthersAndEditsIt(ForgeKind kind) throws Exception {
        ArrayNode ours = comments(200, 2);
        ours.addObject().put("id", 150).put("body", "> <!-- drawbridge:production -->\n> quoted by a reviewer");
        ours.addObject().put("id", 151).put("body", "<!-- drawbridge:dev -->\nthe comment of another environment");
        ours.addObject().put("id", 777).put("body", "<!-- drawbridge:production -->\nhead 1111111: **BLOCK**");
        if (kind == ForgeKind.GITEA) {
            ArrayNode all = comments(1, 120); // Gitea lists every comment at once
            all.addAll(ours);
            stubList(kind, 1, all);
        } else {
            stubList(kind, 1, comments(1, ForgeKind.PER_PAGE)); // a full first page: there is more
            stubList(kind, 2, ours);
        }
        stubEdit(kind, 777);

        reporter(kind).publish(comment("head 2222222: **PASS**")); // a new process: nothing kept in memory

        server.verify(1, edits(kind, 777));
        assertThat(server.findAll(postRequestedFor(anyUrl()))).as("no second comment after a restart").isEmpty();
        assertThat(server.findAll(anyRequestedFor(anyUrl()))).extracting(LoggedRequest::getUrl)
                .doesNotContain(edit(kind, 150), edit(kind, 151));
    }

    @ParameterizedTest
    @EnumSource(ForgeKind.class)
    void aCommentThatAlreadySaysTheSameIsNotEditedAfterARestart(ForgeKind kind) throws Exception {
        ArrayNode list = comments(1, 2);
        list.addObject().put("id", 777).put("body", "<!-- drawbridge:production -->\nhead 1111111: **BLOCK**");
        stubList(kind, 1, list);

        reporter(kind).publish(comment("head 1111111: **BLOCK**"));

        assertThat(server.findAll(anyRequestedFor(anyUrl()))).extracting(LoggedRequest::getMethod)
                .extracting(Object::toString).containsOnly("GET");
    }

    @ParameterizedTest
    @EnumSource(ForgeKind.class)
    void waitsAsLongAsRetryAfterSaysOn429And403(ForgeKind kind) throws Exception {
        server.stubFor(get(urlEqualTo(list(kind, 1))).inScenario("limits").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(403).withHeader("Retry-After", "7").withBody("{\"message\":\"secondary rate limit\"}"))
                .willSetStateTo("listed"));
        server.stubFor(get(urlEqualTo(list(kind, 1))).inScenario("limits").whenScenarioStateIs("listed")
                .willReturn(aResponse().withStatus(200).withBody("[]")));
        MappingBuilder limited = post(urlEqualTo(create(kind))).inScenario("limits").whenScenarioStateIs("listed")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "11")).willSetStateTo("posted");
        server.stubFor(limited);
        server.stubFor(post(urlEqualTo(create(kind))).inScenario("limits").whenScenarioStateIs("posted")
                .willReturn(aResponse().withStatus(201).withBody("{\"id\":9}")));

        reporter(kind).publish(comment("blocked"));

        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(11));
        server.verify(2, postRequestedFor(urlEqualTo(create(kind))));
    }

    @ParameterizedTest
    @EnumSource(ForgeKind.class)
    void retriesA5xxWithBackoffUntilTheForgeRecovers(ForgeKind kind) throws Exception {
        stubList(kind, 1, comments(1, 1));
        server.stubFor(post(urlEqualTo(create(kind))).inScenario("down").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(502)).willSetStateTo("still down"));
        server.stubFor(post(urlEqualTo(create(kind))).inScenario("down").whenScenarioStateIs("still down")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        server.stubFor(post(urlEqualTo(create(kind))).inScenario("down").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(201).withBody("{\"id\":31}")));
        RecordingSleeper backoff = new RecordingSleeper();
        try (AsyncComments async = new AsyncComments(reporter(kind), 10,
                new Backoff(5, Duration.ofSeconds(2), Duration.ofSeconds(30)), backoff)) {
            async.publish(comment("blocked"));
            assertThat(async.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(async.stats().posted()).isEqualTo(1);
            assertThat(async.stats().retried()).isEqualTo(2);
        }
        assertThat(backoff.waits).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4));
        server.verify(3, postRequestedFor(urlEqualTo(create(kind))));
    }

    @ParameterizedTest
    @EnumSource(ForgeKind.class)
    void neverPutsTheTokenInABodyOrAnError(ForgeKind kind) throws Exception {
        stubList(kind, 1, comments(1, 1));
        server.stubFor(post(urlEqualTo(create(kind))).willReturn(aResponse().withStatus(422)
                .withBody("{\"message\":\"bad token " + TOKEN + "\"}")));

        assertThatThrownBy(() -> reporter(kind).publish(comment("a scanner echoed " + TOKEN + " into a finding")))
                .isInstanceOf(ForgeException.class)
                .hasMessageContaining("422").hasMessageNotContaining(TOKEN);

        for (LoggedRequest sent : server.findAll(anyRequestedFor(anyUrl()))) {
            assertThat(sent.getBodyAsString()).doesNotContain(TOKEN);
        }
        assertThat(server.findAll(postRequestedFor(anyUrl())).get(0).getBodyAsString()).contains("a scanner echoed ****");
    }

    @ParameterizedTest
    @EnumSource(ForgeKind.class)
    void aCommentDeletedByHandIsCreatedAgainNextTime(ForgeKind kind) throws Exception {
        stubList(kind, 1, comments(1, 1));
        stubCreate(kind, 40);
        server.stubFor(request(editMethod(kind), urlEqualTo(edit(kind, 40))).willReturn(aResponse().withStatus(404)));
        ForgeCommentReporter reporter = reporter(kind);
        reporter.publish(comment("head 1"));

        assertThatThrownBy(() -> reporter.publish(comment("head 2"))).isInstanceOf(ForgeException.class);
        reporter.publish(comment("head 2"));

        server.verify(2, postRequestedFor(urlEqualTo(create(kind))));
        server.verify(2, getRequestedFor(urlEqualTo(list(kind, 1))));
    }
}
