package dev.drawbridge.report.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.drawbridge.redact.Redactor;
import dev.drawbridge.retry.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
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

    private final ForgeKind kind;
    private final String forge;
    private final URI apiUrl;
    private final Supplier<String> token;
    private final HttpClient http;
    private final Clock clock;
    private final Sleeper sleeper;

    /** @param kind the forge: how the token is sent ({@link ForgeKind#authenticate}) and what messages name */
    PullRequestHttp(ForgeKind kind, URI apiUrl, Supplier<String> token, HttpClient http, Clock clock, Sleeper sleeper) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.forge = kind.configName();
        this.apiUrl = Objects.requireNonNull(apiUrl, "apiUrl");
        this.token = Objects.requireNonNull(token, "token");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** Sends the request and answers whatever the forge answered once rate limits are waited out. */
    Answer send(String method, String pathAndQuery, JsonNode body) throws ForgeException {
        String secret = ForgeRequests.token(kind, token, method, pathAndQuery);
        HttpRequest request = ForgeRequests.request(kind, apiUrl, method, pathAndQuery,
                body == null ? null : body.toString(), secret);
        String what = method + " " + request.uri().getRawPath();
        for (int waits = 0; ; waits++) {
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new ForgeException(forge, 0, true, forge + ": " + what + " failed: "
                        + Redactor.of(secret).redact(String.valueOf(e.getMessage())));
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
            String message = Redactor.of(secret).redact(HttpStatusReporter.errorMessage(response.body()));
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

    /** Reads the list a page answers (pages count from 1). */
    @FunctionalInterface
    interface PageOfList {
        String pathAndQuery(int page);
    }

    /** Finds the open request again, after the forge said it exists already. */
    @FunctionalInterface
    interface Lookup {
        Optional<PullRequest> find() throws ForgeException;
    }

    /**
     * The first element of a listed page that is {@code wanted}, reading page after page while a page is full
     * ({@code pageSize} elements), at most {@code maxPages} pages.
     */
    Optional<JsonNode> first(PageOfList page, int pageSize, int maxPages, Predicate<JsonNode> wanted) throws ForgeException {
        for (int n = 1; n <= maxPages; n++) {
            JsonNode list = expect("GET", page.pathAndQuery(n), null);
            for (JsonNode element : list) {
                if (wanted.test(element)) {
                    return Optional.of(element);
                }
            }
            if (list.size() < pageSize) {
                break;
            }
        }
        return Optional.empty();
    }

    /**
     * POSTs a new request to {@code path}. A request just opened has the title and body it was opened with,
     * whatever the answer echoes; when the forge answers one of {@code existsCodes} saying it "already exists"
     * (a second replica, a restart between open and record), the open one is found again and returned unchanged.
     */
    PullRequest open(String path, JsonNode json, Set<Integer> existsCodes, Function<JsonNode, PullRequest> read,
                     Lookup existing, String title, String body) throws ForgeException {
        Answer answer = send("POST", path, json);
        if (answer.ok()) {
            PullRequest answered = read.apply(answer.json());
            return new PullRequest(answered.number(), answered.url(), title, body, answered.headSha());
        }
        if (existsCodes.contains(answer.code()) && answer.message().toLowerCase(Locale.ROOT).contains("already exists")) {
            Optional<PullRequest> found = existing.find();
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw failure("POST", path, answer);
    }

    /** {@code text} encoded as one query parameter value. */
    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    ForgeException failure(String method, String pathAndQuery, Answer answer) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        boolean retryable = answer.code() == 408 || answer.code() == 429 || answer.code() >= 500;
        return new ForgeException(forge, answer.code(), retryable, forge + ": " + method + " " + path + " answered "
                + answer.code() + (answer.message().isEmpty() ? "" : ": " + answer.message()));
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
