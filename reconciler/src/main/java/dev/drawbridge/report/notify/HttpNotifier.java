package dev.drawbridge.report.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.json.Mappers;
import dev.drawbridge.redact.Redactor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What both notifiers share: one JSON POST per notification to a URL read at use, from a single worker
 * thread, so a slow or unreachable endpoint never holds up a reconcile. A full queue drops the oldest
 * notification (logged). Failures are logged with the notifier's name, never with its URL: the URL is a
 * secret, and it is cut out of any error message that might quote it.
 */
public abstract class HttpNotifier implements Notifier, AutoCloseable {

    static final ObjectMapper JSON = Mappers.API;
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    static final int QUEUE_CAPACITY = 100;
    private static final Logger log = LoggerFactory.getLogger(HttpNotifier.class);

    private final String name;
    private final Supplier<String> url;
    private final HttpClient http;
    private final ThreadPoolExecutor worker;
    private final AtomicInteger unfinished = new AtomicInteger();

    /**
     * @param name the notifier's name in the configuration
     * @param url  reads the URL (a secret file) at each use; may throw, e.g. when the file is missing
     */
    HttpNotifier(String name, Supplier<String> url, HttpClient http) {
        this.name = Objects.requireNonNull(name, "name");
        this.url = Objects.requireNonNull(url, "url");
        this.http = Objects.requireNonNull(http, "http");
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE_CAPACITY),
                task -> {
                    Thread t = new Thread(task, "drawbridge-notify-" + name);
                    t.setDaemon(true);
                    return t;
                }, (task, executor) -> {
                    if (executor.isShutdown()) {
                        unfinished.decrementAndGet();
                        log.warn("notification {}: closed; a notification was not sent", name);
                        return;
                    }
                    if (executor.getQueue().poll() != null) {
                        unfinished.decrementAndGet();
                    }
                    log.warn("notification {}: queue full ({}); dropped the oldest notification", name, QUEUE_CAPACITY);
                    executor.execute(task);
                });
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
        unfinished.incrementAndGet();
        try {
            worker.execute(() -> {
                try {
                    deliver(notification);
                } finally {
                    unfinished.decrementAndGet();
                }
            });
        } catch (RuntimeException e) {
            unfinished.decrementAndGet();
            log.warn("notification {}: {} not sent: {}", name, notification, e.toString());
        }
    }

    private void deliver(Notification notification) {
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
            if (response.statusCode() / 100 == 2) {
                log.debug("notification {}: sent {}", name, notification);
            } else {
                log.warn("notification {}: {} not sent: the endpoint answered {}: {}", name, notification,
                        response.statusCode(), Redactor.patterns().withUrl(secret, true).redact(oneLine(response.body())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("notification {}: {} not sent: interrupted", name, notification);
        } catch (IOException | RuntimeException e) {
            // messages of the HTTP stack may quote the URI; the secret file's errors name the file only
            log.warn("notification {}: {} not sent: {}: {}", name, notification, e.getClass().getSimpleName(),
                    Redactor.patterns().withUrl(secret, true).redact(oneLine(String.valueOf(e.getMessage()))));
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
        long deadline = System.nanoTime() + timeout.toNanos();
        while (unfinished.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Stops the worker after the queued notifications, waiting at most a few seconds. */
    @Override
    public void close() {
        worker.shutdown();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
