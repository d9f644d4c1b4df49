package dev.drawbridge.report.notify;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.drawbridge.report.notify.NotifierTest.HOOK;
import static dev.drawbridge.report.notify.NotifierTest.HTTP;
import static dev.drawbridge.report.notify.NotifierTest.blocked;
import static org.assertj.core.api.Assertions.assertThat;

/** The URL (Slack's embeds a token) never shows in a log line, whatever goes wrong. */
class NotificationUrlSecrecyTest {

    static final String TOKEN = "s3cr3tT0k3n";

    WireMockServer server;
    Logger logger = (Logger) LoggerFactory.getLogger("dev.drawbridge");
    Level level;
    ListAppender<ILoggingEvent> appender = new ListAppender<>();

    @BeforeEach
    void start() {
        server = new WireMockServer(wireMockConfig().dynamicPort());
        server.start();
        level = logger.getLevel();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.ALL);
    }

    @AfterEach
    void stop() {
        logger.detachAppender(appender);
        logger.setLevel(level);
        server.stop();
    }

    String logs() {
        return appender.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()
                        + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage()))
                .collect(Collectors.joining("\n"));
    }

    void sendWith(String url) {
        try (SlackNotifier slack = new SlackNotifier("shop-slack", () -> url, HTTP, NotifierTest.THREE_QUICK_ATTEMPTS, null);
             WebhookNotifier webhook = new WebhookNotifier("audit", () -> url, HTTP, NotifierTest.THREE_QUICK_ATTEMPTS, null)) {
            slack.send(blocked());
            webhook.send(blocked());
            assertThat(slack.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(webhook.flush(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void keepsTheUrlOutOfTheLogWhenTheEndpointEchoesIt() {
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(403)
                .withBody("invalid_token for " + server.baseUrl() + HOOK + " (" + HOOK + ")")));

        sendWith(server.baseUrl() + HOOK);

        assertThat(logs()).contains("notification shop-slack: BLOCKED production@4f2c1a9b0e3d not sent: the endpoint answered 403")
                .contains("notification audit:")
                .doesNotContain(TOKEN);
    }

    @Test
    void keepsTheUrlOutOfTheLogWhenTheEndpointIsUnreachableOrSucceeds() {
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        sendWith(server.baseUrl() + HOOK);
        int port = server.port();
        server.stop();
        sendWith("http://127.0.0.1:" + port + HOOK);

        assertThat(logs()).contains("notification audit: sent BLOCKED production@4f2c1a9b0e3d")
                .contains("not sent: ConnectException").doesNotContain(TOKEN);
    }

    @Test
    void keepsAMalformedUrlOutOfTheLog() {
        for (String bad : List.of("hooks.slack.com/services/T0001/B0002/" + TOKEN, "https://hooks slack/" + TOKEN,
                "ftp://hooks.slack.com/" + TOKEN)) {
            sendWith(bad);
        }

        assertThat(logs()).contains("not sent: IllegalArgumentException: the URL in the url-file is not")
                .doesNotContain(TOKEN);
    }
}
