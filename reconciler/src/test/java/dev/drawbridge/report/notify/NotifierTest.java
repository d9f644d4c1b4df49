package dev.drawbridge.report.notify;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.drawbridge.retry.Backoff;
import dev.drawbridge.retry.RetryQueue;
import dev.drawbridge.retry.Sleeper;
import dev.drawbridge.testing.HeldResponses;
import dev.drawbridge.values.EnvironmentName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Set;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The exact bodies of both notifiers, and that a slow endpoint never holds up the caller. */
class NotifierTest {

    static final String SHA = "4f2c1a9b0e3d5f6a7b8c9d0e1f2a3b4c5d6e7f80";
    static final String LINK = "https://drawbridge.example.com/environments/production/decisions/" + SHA;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final String HOOK = "/services/T0001/B0002/s3cr3tT0k3n";

    WireMockServer server;

    @BeforeEach
    void start() {
        server = new WireMockServer(wireMockConfig().dynamicPort());
        server.start();
        server.stubFor(post(urlEqualTo(HOOK)).willReturn(aResponse().withStatus(200).withBody("ok")));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    static Notification blocked() {
        return new Notification(EnvironmentName.of("production"), Notification.Kind.BLOCKED, SHA,
                "blocked: shop/api CVE-2026-1234 CRITICAL (fix 3.0.15) +2 more", Set.of("team-shop", "team-billing"), LINK);
    }

    @Test
    void postsTheGenericJsonShape() {
        try (WebhookNotifier notifier = new WebhookNotifier("audit", () -> server.baseUrl() + HOOK, HTTP)) {
            notifier.send(blocked());
            assertThat(notifier.flush(Duration.ofSeconds(10))).isTrue();
        }

        server.verify(1, postRequestedFor(urlEqualTo(HOOK))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"environment": "production", "kind": "BLOCKED", "revision": "%s",
                         "description": "blocked: shop/api CVE-2026-1234 CRITICAL (fix 3.0.15) +2 more",
                         "owners": ["team-billing", "team-shop"],
                         "link": "%s"}""".formatted(SHA, LINK))));
    }

    @Test
    void sendsANullRevisionAndNoOwnersWhenUnknown() {
        try (WebhookNotifier notifier = new WebhookNotifier("audit", () -> server.baseUrl() + HOOK, HTTP)) {
            notifier.send(new Notification(EnvironmentName.of("dev"), Notification.Kind.ERROR, null,
                    "error: SOURCE_FAILED: source: could not fetch env/dev", Set.of(), "https://drawbridge.example.com"));
            assertThat(notifier.flush(Duration.ofSeconds(10))).isTrue();
        }

        server.verify(1, postRequestedFor(urlEqualTo(HOOK)).withRequestBody(equalToJson("""
                {"environment": "dev", "kind": "ERROR", "revision": null,
                 "description": "error: SOURCE_FAILED: source: could not fetch env/dev",
                 "owners": [], "link": "https://drawbridge.example.com"}""")));
    }

    @Test
    void postsSlacksIncomingWebhookShapeWithTextAndOneMrkdwnSection() {
        try (SlackNotifier notifier = new SlackNotifier("shop-slack", () -> server.baseUrl() + HOOK, HTTP)) {
            notifier.send(blocked());
            assertThat(notifier.flush(Duration.ofSeconds(10))).isTrue();
        }

        server.verify(1, postRequestedFor(urlEqualTo(HOOK)).withRequestBody(equalToJson("""
                {"text": "production: newly blocked at 4f2c1a9b0e3d: blocked: shop/api CVE-2026-1234 CRITICAL (fix 3.0.15) +2 more",
                 "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text":
                   ":no_entry: *production*: newly blocked at `4f2c1a9b0e3d`\\nblocked: shop/api CVE-2026-1234 CRITICAL (fix 3.0.15) +2 more\
                \\nowners: team-billing, team-shop\\n<%s|decision>"}}]}"""
                .formatted(LINK))));
    }

    @Test
    void escapesAmpersandAndAngleBracketsForSlack() {
        try (SlackNotifier notifier = new SlackNotifier("shop-slack", () -> server.baseUrl() + HOOK, HTTP)) {
            notifier.send(new Notification(EnvironmentName.of("dev"), Notification.Kind.ERROR, SHA,
                    "error: render: <!channel> a & b > c", Set.of(), null));
            assertThat(notifier.flush(Duration.ofSeconds(10))).isTrue();
        }

        server.verify(1, postRequestedFor(urlEqualTo(HOOK)).withRequestBody(equalToJson("""
                {"text": "dev: error at 4f2c1a9b0e3d: error: render: &lt;!channel&gt; a &amp; b &gt; c",
                 "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text":
                   ":warning: *dev*: error at `4f2c1a9b0e3d`\\nerror: render: &lt;!channel&gt; a &amp; b &gt; c"}}]}""")));
    }

    @Test
    void aClientErrorIsNotRetried() {
        server.stubFor(post(urlEqualTo(HOOK)).willReturn(aResponse().withStatus(404)));
        try (WebhookNotifier gone = new WebhookNotifier("audit", () -> server.baseUrl() + HOOK, HTTP, THREE_QUICK_ATTEMPTS, null)) {
            gone.send(blocked());
            assertThat(gone.flush(Duration.ofSeconds(10))).isTrue();
        }
        server.verify(1, postRequestedFor(urlEqualTo(HOOK)));
    }

    @Test
    void returnsWhileASlowEndpointStillHoldsTheFirstDelivery() {
        HeldResponses slow = new HeldResponses();
        WireMockServer held = new WireMockServer(wireMockConfig().dynamicPort().extensions(slow));
        held.start();
        held.stubFor(post(urlEqualTo(HOOK)).willReturn(aResponse().withStatus(200).withBody("ok")));
        try (slow; WebhookNotifier notifier = new WebhookNotifier("audit", () -> held.baseUrl() + HOOK, HTTP)) {
            notifier.send(blocked());
            notifier.send(blocked());

            // both calls are back while the endpoint still holds the first POST unanswered
            await().atMost(Duration.ofSeconds(10)).until(() -> slow.held() == 1);
            slow.release();
            assertThat(notifier.flush(Duration.ofSeconds(15))).isTrue();
            assertThat(slow.expired()).isZero();
            held.verify(2, postRequestedFor(urlEqualTo(HOOK)));
        } finally {
            held.stop();
        }
    }

    /** Three attempts, no wait between them. */
    static final RetryQueue.Settings THREE_QUICK_ATTEMPTS = new RetryQueue.Settings(100,
            new Backoff(3, Duration.ZERO, Duration.ZERO), Sleeper.SYSTEM);

    @Test
    void neverThrowsWhenTheEndpointFailsOrTheUrlCannotBeReadAndRetriesOnlyTheServerError() {
        server.stubFor(post(urlEqualTo(HOOK)).willReturn(aResponse().withStatus(500)));
        try (WebhookNotifier failing = new WebhookNotifier("audit", () -> server.baseUrl() + HOOK, HTTP,
                THREE_QUICK_ATTEMPTS, null);
             SlackNotifier unreadable = new SlackNotifier("shop-slack", () -> {
                 throw new IllegalStateException("secret file /var/run/secrets/slack-url does not exist");
             }, HTTP, THREE_QUICK_ATTEMPTS, null)) {
            failing.send(blocked());
            unreadable.send(blocked());
            assertThat(failing.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(unreadable.flush(Duration.ofSeconds(10))).isTrue();
        }
        server.verify(3, postRequestedFor(urlEqualTo(HOOK)));
    }
}
