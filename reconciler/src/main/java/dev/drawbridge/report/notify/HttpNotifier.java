package dev.drawbridge.report.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.json.Mappers;
import dev.drawbridge.redact.Redactor;
import dev.drawbridge.retry.Backoff;
import dev.drawbridge.retry.OwedDeliveries;
import dev.drawbridge.retry.RetryQueue;
import dev.drawbridge.retry.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What both notifiers share: one JSON POST per notification to a URL read at use, from a single worker
 * thread ({@link RetryQueue}), so a slow or unreachable endpoint never holds up a reconcile. An endpoint that
 * answers 5xx, 408 or 429, or does not answer, is tried again with the delivery {@link Backoff}; any other
 * answer, or a URL that cannot be read, is given up on at once. A full queue drops the oldest notification
 * (logged). With {@link OwedDeliveries}, the notifications not sent yet survive a restart ({@link #resume}):
 * the journal holds the notification and the notifier's name, never its URL. Failures are logged with the
 * notifier's name, never with its URL: the URL is a secret, and it is cut out of any error message that might
 * quote it.
 */
public abstract class HttpNotifier implements Notifier, AutoCloseable {

    /**
     * One notification on its way, under an id of its own (notifications never replace each other).
     *
     * @param id           unique per notification, kept across a restart
     * @param notification what is told
     */
    public record Sending(String id, Notification notification) {
        public Sending {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(notification, "notification");
        }

        @Override
        public String toString() {
            return notification.toString();
        }
    }

    static final ObjectMapper JSON = Mappers.API;
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    static final int QUEUE_CAPACITY = 100;
    private static final Logger log = LoggerFactory.getLogger(HttpNotifier.class);

    /** A failed send; {@code retryable} when the endpoint may take it later. Its message never quotes the URL. */
    static final class SendException extends Exception {
        private final boolean retryable;

        SendException(String message, boolean retryable) {
            super(message);
            this.retryable = retryable;
        }

        static boolean isRetryable(Exception e) {
            return e instanceof SendException send && send.retryable;
        }
    }

    private final String name;
    private final Supplier<String> url;
    private final HttpClient http;
    private final RetryQueue<Sending> queue;

    /**
     * @param name the notifier's name in the configuration
     * @param url  reads the URL (a secret file) at each use; may throw, e.g. when the file is missing
     */
    HttpNotifier(String name, Supplier<String> url, HttpClient http) {
        this(name, url, http, new RetryQueue.Settings(QUEUE_CAPACITY, Backoff.delivery(), Sleeper.SYSTEM), null);
    }

    /** @param owed where the notifications not sent yet are kept across a restart; null: in memory only */
    HttpNotifier(String name, Supplier<String> url, HttpClient http, RetryQueue.Settings settings, OwedDeliveries<Sending> owed) {
        this.name = Objects.requireNonNull(name, "name");
        this.url = Objects.requireNonNull(url, "url");
        this.http = Objects.requireNonNull(http, "http");
        this.queue = new RetryQueue<>("notification", "send", "drawbridge-notify-" + name, Sending::id, this::deliver,
                SendException::isRetryable, settings, owed);
    }

    /** The journal of a notifier named {@code name} under {@code dir}: one directory per notifier, named after it. */
    public static OwedDeliveries<Sending> journal(Path dir, String name, Clock clock) {
        return new OwedDeliveries<>(dir.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_")), Sending.class, QUEUE_CAPACITY,
                Duration.ofDays(1), clock);
    }

    @Override
    public String name() {
        return name;
    }

    /** The JSON body for this notification. */
    abstract ObjectNode body(Notification notification);

    @Override
    public void send(Notification notification) {
        if (notification == null) {
            return;
        }
        queue.submit(new Sending(UUID.randomUUID().toString(), notification));
    }

    /** Queues again the notifications a stopped process did not send; returns how many. */
    public int resume() {
        return queue.resume();
    }

    private void deliver(Sending sending) throws SendException, InterruptedException {
        Notification notification = sending.notification();
        String secret = null;
        try {
            secret = url.get();
            URI uri = uri(secret);
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body(notification))))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            int code = response.statusCode();
            if (code / 100 == 2) {
                log.debug("notification {}: sent {}", name, notification);
                return;
            }
            String why = "the endpoint answered " + code + ": " + Redactor.patterns().withUrl(secret, true).redact(oneLine(response.body()));
            log.warn("notification {}: {} not sent: {}", name, notification, why);
            throw new SendException("notification " + name + ": " + why, code == 408 || code == 429 || code >= 500);
        } catch (IOException e) {
            // messages of the HTTP stack may quote the URI
            String why = e.getClass().getSimpleName() + ": " + Redactor.patterns().withUrl(secret, true).redact(oneLine(String.valueOf(e.getMessage())));
            log.warn("notification {}: {} not sent: {}", name, notification, why);
            throw new SendException("notification " + name + ": " + why, true);
        } catch (RuntimeException e) {
            // the secret file's errors name the file only
            String why = e.getClass().getSimpleName() + ": " + Redactor.patterns().withUrl(secret, true).redact(oneLine(String.valueOf(e.getMessage())));
            log.warn("notification {}: {} not sent: {}", name, notification, why);
            throw new SendException("notification " + name + ": " + why, false);
        }
    }

    /** The URL; when it is malformed, an error that does not quote it. */
    private static URI uri(String text) {
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("the URL in the url-file is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            throw new IllegalArgumentException("the URL in the url-file is not an http(s) URL");
        }
        return uri;
    }

    private static String oneLine(String text) {
        String line = text == null ? "" : text.replaceAll("\\s+", " ").strip();
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    /** Waits until every queued notification was sent or given up on; false when the timeout passed first. */
    public boolean flush(Duration timeout) {
        try {
            return queue.flush(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Stops the worker after the queued notifications, waiting at most a few seconds; what is still owed then stays
     * in the journal, if any.
     */
    @Override
    public void close() {
        flush(Duration.ofSeconds(5));
        queue.close();
    }
}
