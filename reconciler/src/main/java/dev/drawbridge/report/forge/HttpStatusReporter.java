package dev.drawbridge.report.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * What the three forge APIs share: one JSON POST per status, a token read at use, rate limits waited out
 * (a few times, each wait capped) and every other failure turned into a {@link ForgeException} whose
 * message names the status and never the token.
 */
public abstract class HttpStatusReporter implements StatusReporter {

    /** How often one report waits for a rate limit before giving up (the caller may retry later). */
    static final int MAX_RATE_LIMIT_WAITS = 3;
    /** The longest single rate-limit wait. */
    static final Duration MAX_WAIT = Duration.ofMinutes(15);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    static final ObjectMapper JSON = Mappers.API;
    private static final Logger log = LoggerFactory.getLogger(HttpStatusReporter.class);

    private final String forge;
    private final URI apiUrl;
    private final String repository;
    private final Supplier<String> token;
    private final HttpClient http;
    private final Clock clock;
    private final Sleeper sleeper;

    HttpStatusReporter(ForgeKind kind, URI apiUrl, String repository, Supplier<String> token, HttpClient http,
                       Clock clock, Sleeper sleeper) {
        this.forge = kind.configName();
        this.apiUrl = Objects.requireNonNull(apiUrl, "apiUrl");
        if (repository == null || repository.isBlank()) {
            throw new IllegalArgumentException("Invalid " + forge + " repository: " + repository);
        }
        this.repository = repository.strip();
        this.token = Objects.requireNonNull(token, "token");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** The path below the API URL, starting with {@code /}. */
    abstract String path(String repository, CommitStatus status);

    /** The forge's JSON body. */
    abstract ObjectNode body(CommitStatus status);

    /** Adds the authentication (and any other) headers. */
    abstract void authenticate(HttpRequest.Builder request, String token);

    /** True when a non-2xx answer means the status is already there (GitLab's repeated transition). */
    boolean alreadyReported(int statusCode, String message) {
        return false;
    }

    @Override
    public final void report(CommitStatus status) throws ForgeException {
        String secret = readToken(status);
        URI uri = URI.create(stripSlash(apiUrl.toString()) + path(repository, status));
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("User-Agent", "drawbridge")
                .POST(HttpRequest.BodyPublishers.ofString(body(status).toString()));
        authenticate(builder, secret);
        HttpRequest request = builder.build();
        for (int waits = 0; ; waits++) {
            HttpResponse<String> response = send(request, status, secret);
            int code = response.statusCode();
            if (code >= 200 && code < 300) {
                log.debug("{}: posted {}", forge, status);
                return;
            }
            String message = Redactor.of(secret).redact(errorMessage(response.body()));
            Optional<Duration> wait = RateLimits.waitFor(code, response.headers(), clock, MAX_WAIT);
            if (wait.isPresent() && waits < MAX_RATE_LIMIT_WAITS) {
                log.info("{}: rate limited ({}) posting {}; waiting {}s", forge, code, status, wait.get().toSeconds());
                pause(wait.get(), status);
                continue;
            }
            if (alreadyReported(code, message)) {
                log.debug("{}: {} already reported ({} {})", forge, status, code, message);
                return;
            }
            boolean retryable = wait.isPresent() || code == 408 || code == 429 || code >= 500;
            throw new ForgeException(forge, code, retryable,
                    forge + ": POST " + uri.getRawPath() + " for " + status + " answered " + code
                            + (message.isEmpty() ? "" : ": " + message));
        }
    }

    private String readToken(CommitStatus status) throws ForgeException {
        try {
            return Objects.requireNonNullElse(token.get(), "");
        } catch (RuntimeException e) {
            // the message of a failed read names the file at most; the class says what went wrong
            throw new ForgeException(forge, 0, true, forge + ": cannot read the token to post " + status + ": "
                    + e.getClass().getSimpleName());
        }
    }

    private HttpResponse<String> send(HttpRequest request, CommitStatus status, String secret) throws ForgeException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ForgeException(forge, 0, true, forge + ": cannot post " + status + " to "
                    + request.uri().getHost() + ": " + Redactor.of(secret).redact(String.valueOf(e.getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ForgeException(forge, 0, true, forge + ": interrupted while posting " + status);
        }
    }

    private void pause(Duration wait, CommitStatus status) throws ForgeException {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ForgeException(forge, 0, true, forge + ": interrupted while waiting to post " + status);
        }
    }

    /** The {@code message} of a JSON error answer, or the start of the body; one line, bounded. */
    static String errorMessage(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String text = body;
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.hasNonNull("message")) {
                JsonNode m = node.get("message");
                text = m.isTextual() ? m.asText() : m.toString();
                JsonNode errors = node.get("errors");
                if (errors != null && errors.isArray() && !errors.isEmpty()) {
                    JsonNode first = errors.get(0);
                    text += " (" + (first.hasNonNull("message") ? first.get("message").asText() : first.toString()) + ")";
                }
            }
        } catch (IOException notJson) {
            // keep the raw body
        }
        text = text.replaceAll("\\s+", " ").strip();
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    static ObjectNode commonBody(String state, CommitStatus status) {
        ObjectNode body = JSON.createObjectNode();
        body.put("state", state);
        if (status.targetUrl() != null) {
            body.put("target_url", status.targetUrl());
        }
        body.put("description", status.description());
        return body;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + apiUrl + ", " + repository + "]";
    }
}
