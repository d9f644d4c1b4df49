package dev.drawbridge.report.forge;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.drawbridge.report.forge.CommitStatus.State;
import dev.drawbridge.report.forge.ForgeFixtures.RecordingSleeper;
import dev.drawbridge.retry.Backoff;
import dev.drawbridge.retry.Sleeper;
import dev.drawbridge.testing.HeldResponses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

class AsyncReporterTest {

    static final String PATH = "/repos/platform/deploy/statuses/" + SHA;
    static final Backoff THREE_ATTEMPTS = new Backoff(3, Duration.ofSeconds(1), Duration.ofSeconds(30));

    WireMockServer server;
    RecordingSleeper sleeper = new RecordingSleeper();
    AsyncReporter async;

    @BeforeEach
    void start() {
        server = ForgeFixtures.startServer();
    }

    @AfterEach
    void stop() {
        if (async != null) {
            async.close();
        }
        server.stop();
    }

    AsyncReporter overGitHub() {
        StatusReporter github = new GitHubStatusReporter(ForgeFixtures.api(server, ""), "platform/deploy", () -> TOKEN,
                HTTP, CLOCK, new RecordingSleeper());
        return new AsyncReporter(new DeduplicatingReporter(github), 100, THREE_ATTEMPTS, sleeper);
    }

    @Test
    void doesNotBlockTheCallerOnASlowForge() throws Exception {
        HeldResponses slow = new HeldResponses();
        server.stop();
        server = ForgeFixtures.startServer(slow);
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(201)));
        async = overGitHub();

        try (slow) {
            async.report(status("dev", State.SUCCESS, "passed"));

            // the call is back while the forge still holds the POST unanswered
            await().atMost(Duration.ofSeconds(10)).until(() -> slow.held() == 1);
            assertThat(async.stats()).isEqualTo(new ReporterStats(0, 0, 0, 0, 0));
            slow.release();
            assertThat(async.flush(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(slow.expired()).isZero();
        assertThat(async.stats()).isEqualTo(new ReporterStats(1, 0, 0, 0, 0));
        server.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void retriesAFailingForgeWithGrowingBackoffAndCountsTheFailure() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(503)));
        async = overGitHub();

        assertThatCode(() -> async.report(status("dev", State.SUCCESS, "passed"))).doesNotThrowAnyException();

        assertThat(async.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(async.stats()).isEqualTo(new ReporterStats(0, 1, 2, 0, 0));
        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
        server.verify(3, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void postsOnceTheForgeRecovers() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(502)).willSetStateTo("up"));
        server.stubFor(post(urlEqualTo(PATH)).inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(201)));
        async = overGitHub();

        async.report(status("dev", State.SUCCESS, "passed"));

        assertThat(async.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(async.stats()).isEqualTo(new ReporterStats(1, 0, 1, 0, 0));
    }

    @Test
    void doesNotRetryWhatTheForgeRefused() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(422)
                .withBody(ForgeFixtures.resource("github-422-too-many-statuses.json"))));
        async = overGitHub();

        async.report(status("dev", State.SUCCESS, "passed"));

        assertThat(async.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(async.stats()).isEqualTo(new ReporterStats(0, 1, 0, 0, 0));
        server.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void keepsOnlyTheNewestPendingStatusPerShaAndContext() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<CommitStatus> posted = new CopyOnWriteArrayList<>();
        async = new AsyncReporter(s -> {
            hold(release);
            posted.add(s);
        }, 100, THREE_ATTEMPTS, sleeper);

        async.report(status("production", State.PENDING, "verifying"));
        await().atMost(Duration.ofSeconds(5)).until(() -> async.stats().queued() == 0); // the worker holds it
        async.report(status("dev", State.PENDING, "verifying"));
        async.report(status("dev", State.FAILURE, "blocked: shop/api CVE-2026-1234 CRITICAL"));
        release.countDown();

        assertThat(async.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(posted).extracting(CommitStatus::context, CommitStatus::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple("drawbridge/production", State.PENDING),
                org.assertj.core.groups.Tuple.tuple("drawbridge/dev", State.FAILURE));
        assertThat(async.stats()).isEqualTo(new ReporterStats(2, 0, 0, 1, 0));
    }

    @Test
    void dropsTheOldestStatusWhenTheQueueIsFull() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<CommitStatus> posted = new CopyOnWriteArrayList<>();
        async = new AsyncReporter(s -> {
            hold(release);
            posted.add(s);
        }, 2, THREE_ATTEMPTS, sleeper);

        async.report(status("held", State.PENDING, "x"));
        await().atMost(Duration.ofSeconds(5)).until(() -> async.stats().queued() == 0);
        async.report(status("dev", State.SUCCESS, "x"));
        async.report(status("acceptance", State.SUCCESS, "x"));
        async.report(status("production", State.SUCCESS, "x"));
        release.countDown();

        assertThat(async.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(posted).extracting(CommitStatus::context)
                .containsExactly("drawbridge/held", "drawbridge/acceptance", "drawbridge/production");
        assertThat(async.stats().dropped()).isEqualTo(1);
    }

    @Test
    void abandonsARetryWhenANewerStatusForTheSameKeyArrived() throws Exception {
        List<CommitStatus> attempts = new CopyOnWriteArrayList<>();
        Sleeper duringBackoff = d -> async.report(status("dev", State.SUCCESS, "newer"));
        async = new AsyncReporter(s -> {
            attempts.add(s);
            if (s.description().equals("older")) {
                throw new ForgeException("github", 503, true, "unavailable");
            }
        }, 100, THREE_ATTEMPTS, duringBackoff);

        async.report(status("dev", State.SUCCESS, "older"));

        assertThat(async.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(attempts).extracting(CommitStatus::description).containsExactly("older", "newer");
        assertThat(async.stats()).isEqualTo(new ReporterStats(1, 0, 1, 1, 0));
    }

    @Test
    void survivesAReporterThatThrowsUnexpectedly() throws Exception {
        async = new AsyncReporter(s -> {
            if (s.context().equals("drawbridge/dev")) {
                throw new IllegalStateException("bug");
            }
        }, 100, THREE_ATTEMPTS, sleeper);

        async.report(status("dev", State.SUCCESS, "x"));
        async.report(status("production", State.SUCCESS, "x"));

        assertThat(async.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(async.stats()).isEqualTo(new ReporterStats(1, 1, 0, 0, 0));
    }

    @Test
    void flushGivesUpAfterItsTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        async = new AsyncReporter(s -> hold(release), 100, THREE_ATTEMPTS, sleeper);

        async.report(status("dev", State.SUCCESS, "x"));

        assertThat(async.flush(Duration.ofMillis(50))).isFalse();
        release.countDown();
        assertThat(async.flush(Duration.ofSeconds(10))).isTrue();
    }

    static void hold(CountDownLatch release) {
        try {
            release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void capsTheBackoff() {
        Backoff backoff = new Backoff(10, Duration.ofSeconds(2), Duration.ofSeconds(10));

        assertThat(List.of(backoff.delay(1), backoff.delay(2), backoff.delay(3), backoff.delay(4), backoff.delay(9)))
                .containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
                        Duration.ofSeconds(10), Duration.ofSeconds(10));
    }
}
