package dev.drawbridge.report.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.drawbridge.retry.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * One JSON request to a forge's pull-request API, as {@link HttpStatusReporter} posts statuses: the token read
 * at use and never in a message, rate limits (403/429 with {@code Retry-After} or {@code X-RateLimit-Reset})
 * waited out a few times, each wait capped, and any other failure a {@link ForgeException} naming the method,
 * path and status.
 */
final class PullRequestHttp {

    private static final Logger log = LoggerFactory.getLogger(PullRequestHttp.class);

    /** An answer: its status code and its JSON body ({@link NullNode} when empty or not JSON). */
    record Answer(int code, JsonNode json, String message) {
        boolean ok() {
            return code >= 200 && code < 300;
        }
    }

    private final String forge;
    private final URI apiUrl;
    private final Supplier<String> token;
    private final BiConsumer<HttpRequest.Builder, String> authenticate;
    private final HttpClient http;
    private final Clock clock;
    private final Sleeper sleeper;

    PullRequestHttp(String forge, URI apiUrl, Supplier<String> token, BiConsumer<HttpRequest.Builder, String> authenticate,
                    HttpClient http, Clock clock, Sleeper sleeper) {
        this.forge = forge;
        this.apiUrl = Objects.requireNonNull(apiUrl, "apiUrl");
        this.token = Objects.requireNonNull(token, "token");
        this.authenticate = authenticate;
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** Sends the request and answers whatever the forge answered once rate limits are waited out. */
    Answer send(String method, String pathAndQuery, JsonNode body) throws ForgeException {
        String secret = readToken(method, pathAndQuery);
        URI uri = URI.create(HttpStatusReporter.stripSlash(apiUrl.toString()) + pathAndQuery);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(HttpStatusReporter.REQUEST_TIMEOUT)
                .header("User-Agent", "drawbridge")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        authenticate.accept(builder, secret);
        HttpRequest request = builder.build();
        String what = method + " " + uri.getRawPath();
        for (int waits = 0; ; waits++) {
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new ForgeException(forge, 0, true, forge + ": " + what + " failed: "
                        + HttpStatusReporter.redact(String.valueOf(e.getMessage()), secret));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ForgeException(forge, 0, true, forge + ": interrupted during " + what);
            }
            int code = response.statusCode();
            Optional<Duration> wait = RateLimits.waitFor(code, response.headers(), clock, HttpStatusReporter.MAX_WAIT);
            if (wait.isPresent() && waits < HttpStatusReporter.MAX_RATE_LIMIT_WAITS) {
                log.info("{}: rate limited ({}) on {}; waiting {}s", forge, code, what, wait.get().toSeconds());
                try {
                    sleeper.sleep(wait.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ForgeException(forge, 0, true, forge + ": interrupted while waiting to retry " + what);
                }
                continue;
            }
            String message = HttpStatusReporter.redact(HttpStatusReporter.errorMessage(response.body()), secret);
            if (wait.isPresent()) {
                throw new ForgeException(forge, code, true, forge + ": " + what + " answered " + code
                        + " (rate limited" + (message.isEmpty() ? ")" : "): " + message));
            }
            return new Answer(code, json(response.body()), message);
        }
    }

    /** As {@link #send}, but anything but a 2xx answer is a {@link ForgeException} (5xx and 408 retryable). */
    JsonNode expect(String method, String pathAndQuery, JsonNode body) throws ForgeException {
        Answer answer = send(method, pathAndQuery, body);
        if (!answer.ok()) {
            throw failure(method, pathAndQuery, answer);
        }
        return answer.json();
    }

    ForgeException failure(String method, String pathAndQuery, Answer answer) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        boolean retryable = answer.code() == 408 || answer.code() == 429 || answer.code() >= 500;
        return new ForgeException(forge, answer.code(), retryable, forge + ": " + method + " " + path + " answered "
                + answer.code() + (answer.message().isEmpty() ? "" : ": " + answer.message()));
    }

    private String readToken(String method, String path) throws ForgeException {
        try {
            return Objects.requireNonNullElse(token.get(), "");
        } catch (RuntimeException e) {
            throw new ForgeException(forge, 0, true, forge + ": cannot read the token for " + method + " "
                    + path.replaceAll("\\?.*", "") + ": " + e.getClass().getSimpleName());
        }
    }

    private static JsonNode json(String body) {
        if (body == null || body.isBlank()) {
            return NullNode.getInstance();
        }
        try {
            JsonNode node = HttpStatusReporter.JSON.readTree(body);
            return node == null ? NullNode.getInstance() : node;
        } catch (IOException notJson) {
            return NullNode.getInstance();
        }
    }
}
