package dev.drawbridge.apply;

import dev.drawbridge.retry.Sleeper;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Honours the API server's {@code 429 Too Many Requests} with {@code Retry-After} (API priority and fairness),
 * within a bound: waits what it asks, at most {@link #MAX_WAIT}, on the injected {@link Sleeper} and off the
 * client's event loop, then fails that attempt as a connection failure, so that the client's own retries (a few,
 * {@code requestRetryBackoffLimit}) send the request again after their short backoff. Fabric8 alone would wait
 * whatever {@code Retry-After} says, without bound, and on its own timer that tests cannot move. A 429 without
 * {@code Retry-After}, and every other answer, is left to the client as before. A reconcile has no deadline of its
 * own; the bound per wait and the client's few retries bound how long one request can be held up.
 */
final class RetryAfter implements Interceptor {

    /** The longest wait for one {@code Retry-After}. */
    static final Duration MAX_WAIT = Duration.ofSeconds(30);
    static final String NAME = "drawbridge-retry-after";

    private static final Logger log = LoggerFactory.getLogger(RetryAfter.class);
    private static final ExecutorService WAITS = Executors.newCachedThreadPool(task -> {
        Thread t = new Thread(task, "drawbridge-retry-after");
        t.setDaemon(true);
        return t;
    });

    private final Sleeper sleeper;
    private final Clock clock;

    RetryAfter(Sleeper sleeper, Clock clock) {
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public CompletableFuture<Boolean> afterFailure(HttpRequest.Builder builder, HttpResponse<?> response, RequestTags tags) {
        if (response.code() != 429) {
            return CompletableFuture.completedFuture(false);
        }
        Optional<Duration> asked = wait(response.header("Retry-After"), clock);
        if (asked.isEmpty()) {
            return CompletableFuture.completedFuture(false);
        }
        Duration wait = asked.get().compareTo(MAX_WAIT) > 0 ? MAX_WAIT : asked.get();
        if (response.body() instanceof AsyncBody body) {
            body.cancel(); // this answer is done with; the attempt is repeated
        }
        String request = response.request() == null ? "a request" : response.request().method() + " " + response.request().uri().getPath();
        log.info("the API server answered 429 to {}; waiting {}s as Retry-After asks (at most {}s)", request,
                wait.toSeconds(), MAX_WAIT.toSeconds());
        return CompletableFuture.supplyAsync(() -> {
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new CompletionException(new TooManyRequests(request + ": waited " + wait.toSeconds()
                    + "s as its Retry-After asked"));
        }, WAITS);
    }

    /**
     * An attempt the API server refused with 429 and that was waited for: a connection failure to the client, so
     * that it tries again after its own short backoff instead of waiting {@code Retry-After} without bound.
     */
    static final class TooManyRequests extends IOException {
        TooManyRequests(String message) {
            super(message);
        }
    }

    /** The 429 behind a client's failure, if that is what it was. */
    static Optional<TooManyRequests> behind(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TooManyRequests refused) {
                return Optional.of(refused);
            }
        }
        return Optional.empty();
    }

    /** The wait a {@code Retry-After} asks for: seconds, or an HTTP date; empty when absent or unreadable. */
    static Optional<Duration> wait(String retryAfter, Clock clock) {
        if (retryAfter == null || retryAfter.isBlank()) {
            return Optional.empty();
        }
        String value = retryAfter.strip();
        try {
            long seconds = Long.parseLong(value);
            return Optional.of(Duration.ofSeconds(Math.max(0, seconds)));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(clock.instant(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return Optional.of(until.isNegative() ? Duration.ZERO : until);
            } catch (DateTimeParseException unreadable) {
                return Optional.empty();
            }
        }
    }
}
