package dev.drawbridge.apply;

import dev.drawbridge.retry.Sleeper;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The connections of a Kubernetes client to its API server, counted by a local HTTP server that holds the requests
 * of a burst before answering them (so that a burst needs as many connections at once as the client will open): a burst opens no more than
 * the cap, and the connections stay open while idle and serve the next burst.
 */
class ApiServerConnectionsTest {

    private static final int BURST = 40;
    /** Requests are held until a whole burst is in, or until none came for this long (the rest wait for a connection). */
    private static final long QUIET_MS = 1_000;

    @TempDir
    Path dir;

    private Vertx serverVertx;
    private HttpServer server;
    private final Set<HttpConnection> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final List<HttpServerRequest> held = new ArrayList<>();
    private long arrivals;

    @BeforeEach
    void startServer() throws Exception {
        serverVertx = Vertx.vertx();
        server = serverVertx.createHttpServer()
                .connectionHandler(connection -> {
                    open.add(connection);
                    accepted.incrementAndGet();
                    peak.accumulateAndGet(open.size(), Math::max);
                    connection.closeHandler(v -> open.remove(connection));
                })
                .requestHandler(request -> {
                    if (!request.path().startsWith("/hang")) {       // /hang: never answered, as a dead connection
                        hold(request);
                    }
                })
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /**
     * Holds every request until {@link #BURST} are held, or until {@link #QUIET_MS} passed without another: then all
     * connections a burst can open are open at once, however slowly the machine sends the requests.
     */
    private synchronized void hold(HttpServerRequest request) {
        held.add(request);
        long generation = ++arrivals;
        if (held.size() >= BURST) {
            answerHeld();
        } else {
            serverVertx.setTimer(QUIET_MS, t -> {
                synchronized (this) {
                    if (arrivals == generation) {
                        answerHeld();
                    }
                }
            });
        }
    }

    private void answerHeld() {
        held.forEach(r -> r.response().putHeader("Content-Type", "application/json").end("{}"));
        held.clear();
    }

    @AfterEach
    void stopServer() throws Exception {
        serverVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aBurstOpensNoMoreConnectionsThanTheCapAndTheyServeTheNextBurstAfterIdling() throws Exception {
        try (KubernetesClients clients = new KubernetesClients(Sleeper.SYSTEM)) {
            HttpClient http = clients.client(kubeconfig(), "local").getHttpClient();

            burst(http);
            assertThat(peak.get()).as("connections open at once during a burst of " + BURST)
                    .isEqualTo(ApiServerConnections.MAX_REQUEST_CONNECTIONS);

            // Idle for longer than the pool's cleaner period (1 s): nothing is closed.
            Thread.sleep(3_000);
            assertThat(open).hasSize(ApiServerConnections.MAX_REQUEST_CONNECTIONS);

            burst(http);
            assertThat(accepted.get()).as("connections ever opened, after a second burst")
                    .isEqualTo(ApiServerConnections.MAX_REQUEST_CONNECTIONS);
            assertThat(peak.get()).isEqualTo(ApiServerConnections.MAX_REQUEST_CONNECTIONS);
        }
    }

    @Test
    void connectionsTheServerClosedAreReplacedAtTheNextRequests() throws Exception {
        try (KubernetesClients clients = new KubernetesClients(Sleeper.SYSTEM)) {
            HttpClient http = clients.client(kubeconfig(), "local").getHttpClient();
            burst(http);

            List<CompletableFuture<Void>> closing = new ArrayList<>();
            open.forEach(c -> closing.add(c.close().toCompletionStage().toCompletableFuture()));
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(open::isEmpty);

            burst(http);
            assertThat(open).hasSizeLessThanOrEqualTo(ApiServerConnections.MAX_REQUEST_CONNECTIONS).isNotEmpty();
            assertThat(peak.get()).isEqualTo(ApiServerConnections.MAX_REQUEST_CONNECTIONS);
        }
    }

    /** A connection that stops answering is not kept: the request fails at its timeout, the next gets a new one. */
    @Test
    void aConnectionThatStopsAnsweringIsClosedAtTheRequestTimeout() throws Exception {
        Vertx vertx = Vertx.vertx();
        Config config = config();
        config.setRequestTimeout(1_000);
        config.setRequestRetryBackoffLimit(0);
        try (KubernetesClient client = KubernetesApplier.client(config,
                new ApiServerConnections(vertx, 1, Duration.ZERO), Sleeper.SYSTEM)) {
            HttpClient http = client.getHttpClient();
            long t0 = System.nanoTime();
            CompletableFuture<HttpResponse<String>> hung = http.sendAsync(
                    http.newHttpRequestBuilder().uri(url() + "/hang").timeout(1, TimeUnit.SECONDS).build(), String.class);
            assertThat(hung).failsWithin(Duration.ofSeconds(10));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));

            // With a pool of one, this request would wait behind the dead connection for ever if it were kept.
            HttpResponse<String> next = http.sendAsync(http.newHttpRequestBuilder().uri(url() + "/api/v1/namespaces")
                    .timeout(5, TimeUnit.SECONDS).build(), String.class).get(10, TimeUnit.SECONDS);
            assertThat(next.code()).isEqualTo(200);
            assertThat(accepted.get()).as("a new connection for the next request").isEqualTo(2);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** The harness sees connections close: with an idle close of a second (not serve's), they go. */
    @Test
    void anIdleCloseWhenSetClosesThem() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (KubernetesClient client = KubernetesApplier.client(config(),
                new ApiServerConnections(vertx, 4, Duration.ofSeconds(1)), Sleeper.SYSTEM)) {
            burst(client.getHttpClient());
            assertThat(peak.get()).isEqualTo(4);
            await().atMost(Duration.ofSeconds(10)).until(open::isEmpty);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void everyConnectionHasTcpKeepAliveAndRequestsHaveNoIdleClose() {
        WebClientOptions options = new WebClientOptions();
        WebSocketClientOptions webSockets = new WebSocketClientOptions().setMaxConnections(8192);
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(8192);
        Vertx vertx = Vertx.vertx();
        try {
            new ApiServerConnections(vertx).additionalConfig(options, webSockets, pool);
        } finally {
            vertx.close();
        }
        assertThat(pool.getHttp1MaxSize()).isEqualTo(ApiServerConnections.MAX_REQUEST_CONNECTIONS);
        assertThat(options.getKeepAliveTimeout()).as("0: none").isZero();
        assertThat(options.isTcpKeepAlive()).isTrue();
        assertThat(webSockets.isTcpKeepAlive()).isTrue();
        assertThat(webSockets.getMaxConnections()).as("watches are not capped").isEqualTo(8192);
    }

    private void burst(HttpClient http) throws Exception {
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            answers.add(http.sendAsync(http.newHttpRequestBuilder().uri(url() + "/api/v1/namespaces/n" + i).build(),
                    String.class));
        }
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            assertThat(answer.get(30, TimeUnit.SECONDS).code()).isEqualTo(200);
        }
    }

    private String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    private Config config() {
        return new ConfigBuilder().withMasterUrl(url()).withRequestTimeout(30_000).build();
    }

    private Path kubeconfig() throws Exception {
        Path file = dir.resolve("kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters: [{name: local, cluster: {server: "%s"}}]
                users: [{name: local, user: {token: t}}]
                contexts: [{name: local, context: {cluster: local, user: local}}]
                current-context: local
                """.formatted(url()));
        return file;
    }
}
