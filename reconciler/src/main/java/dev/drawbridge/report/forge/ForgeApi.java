package dev.drawbridge.report.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drawbridge.json.Mappers;
import dev.drawbridge.redact.Redactor;
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
import java.util.function.Supplier;

/**
 * One forge's REST API for reading statuses and keeping pull-request comments: JSON requests below the API
 * root, the token read at every request and sent as {@link ForgeKind} says, rate limits waited out as for
 * statuses ({@link RateLimits}, a few waits, each capped) and every other failure a {@link ForgeException}
 * that names the request and never the token (it is also cut out of any body sent or message kept).
 */
public final class ForgeApi {

    /** What a request answered: the status code and the parsed JSON body (a missing node when there was none). */
    public record Answer(int statusCode, JsonNode body) {
    }

    private static final ObjectMapper JSON = Mappers.API;
    private static final Logger log = LoggerFactory.getLogger(ForgeApi.class);

    private final ForgeKind kind;
    private final URI apiUrl;
    private final Supplier<String> token;
    private final HttpClient http;
    private final Clock clock;
    private final Sleeper sleeper;

    public ForgeApi(ForgeKind kind, URI apiUrl, Supplier<String> token, HttpClient http, Clock clock, Sleeper sleeper) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.apiUrl = Objects.requireNonNull(apiUrl, "apiUrl");
        this.token = Objects.requireNonNull(token, "token");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    public ForgeKind kind() {
        return kind;
    }

    /** GET {@code path} (below the API root, with its query); a 404 is an answer, not an exception. */
    public Answer get(String path) throws ForgeException {
        return send("GET", path, null, true);
    }

    /** {@code method} (POST, PATCH, PUT) with a JSON body; only a 2xx answer returns. */
    public Answer write(String method, String path, JsonNode body) throws ForgeException {
        return send(method, path, body, false);
    }

    private Answer send(String method, String path, JsonNode body, boolean notFoundIsAnswer) throws ForgeException {
        String secret = ForgeRequests.token(kind, token, method, path);
        HttpRequest request = ForgeRequests.request(kind, apiUrl, method, path,
                body == null ? null : Redactor.of(secret).redact(body.toString()), secret);
        String what = kind.configName() + ": " + method + " " + request.uri().getRawPath();
        for (int waits = 0; ; waits++) {
            HttpResponse<String> response = exchange(request, what, secret);
            int code = response.statusCode();
            if ((code >= 200 && code < 300) || (code == 404 && notFoundIsAnswer)) {
                return new Answer(code, parse(response.body()));
            }
            String message = Redactor.of(secret).redact(HttpStatusReporter.errorMessage(response.body()));
            Optional<Duration> wait = RateLimits.waitFor(code, response.headers(), clock, HttpStatusReporter.MAX_WAIT);
            if (wait.isPresent() && waits < HttpStatusReporter.MAX_RATE_LIMIT_WAITS) {
                log.info("{}: rate limited ({}); waiting {}s", what, code, wait.get().toSeconds());
                pause(wait.get(), what);
                continue;
            }
            boolean retryable = wait.isPresent() || code == 408 || code == 429 || code >= 500;
            throw new ForgeException(kind.configName(), code, retryable,
                    what + " answered " + code + (message.isEmpty() ? "" : ": " + message));
        }
    }

    private HttpResponse<String> exchange(HttpRequest request, String what, String secret) throws ForgeException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ForgeException(kind.configName(), 0, true, what + " could not reach " + request.uri().getHost()
                    + ": " + Redactor.of(secret).redact(String.valueOf(e.getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ForgeException(kind.configName(), 0, true, what + " interrupted");
        }
    }

    private void pause(Duration wait, String what) throws ForgeException {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ForgeException(kind.configName(), 0, true, what + " interrupted while waiting for the rate limit");
        }
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return JSON.missingNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException notJson) {
            return JSON.missingNode();
        }
    }

    @Override
    public String toString() {
        return "ForgeApi[" + kind.configName() + ", " + apiUrl + "]";
    }
}
