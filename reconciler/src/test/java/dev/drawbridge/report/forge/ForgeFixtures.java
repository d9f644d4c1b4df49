package dev.drawbridge.report.forge;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.Extension;
import dev.drawbridge.retry.Sleeper;
import dev.drawbridge.values.CommitId;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/** What the forge tests share: statuses, a recording sleeper, a fixed clock, captured logs. */
final class ForgeFixtures {

    static final String SHA = "4f2c1a9b0e3d5f6a7b8c9d0e1f2a3b4c5d6e7f80";
    static final String TOKEN = "ghp_S3CR3T0K3Nvalue1234567890";
    static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ForgeFixtures() {
    }

    static WireMockServer startServer(Extension... extensions) {
        WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort().extensions(extensions));
        server.start();
        return server;
    }

    static URI api(WireMockServer server, String path) {
        return URI.create(server.baseUrl() + path);
    }

    static CommitStatus status(String env, CommitStatus.State state, String description) {
        return new CommitStatus(CommitId.of(SHA), "env/" + env, "drawbridge/" + env, state, description,
                "https://drawbridge.example.com/environments/" + env + "/decisions/" + SHA);
    }

    static String resource(String name) {
        try (InputStream in = ForgeFixtures.class.getResourceAsStream("/forge/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource forge/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records the waits instead of sleeping. */
    static final class RecordingSleeper implements Sleeper {
        final List<Duration> waits = new CopyOnWriteArrayList<>();

        @Override
        public void sleep(Duration duration) {
            waits.add(duration);
        }
    }

    /** Captures what the {@code dev.drawbridge} loggers write, at every level. */
    static final class LogCapture implements AutoCloseable {
        private final Logger logger = (Logger) LoggerFactory.getLogger("dev.drawbridge");
        private final ch.qos.logback.classic.Level level = logger.getLevel();
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

        LogCapture() {
            appender.start();
            logger.addAppender(appender);
            logger.setLevel(ch.qos.logback.classic.Level.ALL);
        }

        String text() {
            return appender.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()
                            + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage()))
                    .collect(Collectors.joining("\n"));
        }

        @Override
        public void close() {
            logger.detachAppender(appender);
            logger.setLevel(level);
        }
    }
}
