package dev.drawbridge.apply;

import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.TCPSSLOptions;
import io.vertx.ext.web.client.WebClientOptions;

import java.time.Duration;

/**
 * The connections of a Kubernetes client to its API server: a bounded pool kept open, instead of Fabric8's (up to
 * 8,192 connections, each closed after a minute idle), so that their number levels off at what the load needed most
 * instead of following every burst of reconciles up and down.
 * <ul>
 *   <li><b>Requests</b> (lists, applies, Lease and record writes) share at most {@link #MAX_REQUEST_CONNECTIONS}
 *   HTTP/1.1 connections per client, that is per API server; a request beyond that waits for one to be free. serve's
 *   own threads bound how many requests are in flight (4 reconciles, 4 read-aheads, {@code leases.writers} Lease
 *   writes, the informers' lists), below the cap: it is a ceiling, not a throttle.</li>
 *   <li>An idle connection is <b>not closed</b> by the client. It closes when the API server (or a proxy in between)
 *   closes it, or says so ({@code Keep-Alive: timeout=N}, which Vert.x follows); it is then dropped from the pool and
 *   the next request opens another.</li>
 *   <li><b>TCP keep-alive</b> on every connection, requests' and watches', so that one dropped without a word (a
 *   node or a load balancer gone) is found by the kernel's probes instead of held forever; and a request on a
 *   connection that died unnoticed fails at the client's request timeout, which closes that connection.</li>
 *   <li><b>Watches</b> (the informers', docs/live-state.md) are WebSockets on a client of their own, one connection
 *   each for as long as the watch lasts: not counted in, nor waiting for, the requests' pool. (A watch falls back to
 *   a streamed HTTP GET only when the server refuses the WebSocket; such a watch holds one of the requests'
 *   connections while it lasts.)</li>
 * </ul>
 */
final class ApiServerConnections extends Vertx5HttpClientFactory {

    /** Most HTTP/1.1 connections of one client (one API server) for requests. */
    static final int MAX_REQUEST_CONNECTIONS = 32;

    /** How long the kernel waits on an idle connection before its first keep-alive probe, where it can be set. */
    static final int KEEP_ALIVE_IDLE_SECONDS = 60;
    static final int KEEP_ALIVE_INTERVAL_SECONDS = 15;
    static final int KEEP_ALIVE_PROBES = 4;

    private final int maxRequestConnections;
    private final Duration idleClose;

    ApiServerConnections(Vertx vertx) {
        this(vertx, MAX_REQUEST_CONNECTIONS, Duration.ZERO);
    }

    /**
     * @param maxRequestConnections most connections for requests
     * @param idleClose             close a connection idle this long; zero: never (serve's; tests shorten it)
     */
    ApiServerConnections(Vertx vertx, int maxRequestConnections, Duration idleClose) {
        super(vertx);
        if (maxRequestConnections < 1) {
            throw new IllegalArgumentException("maxRequestConnections must be at least 1: " + maxRequestConnections);
        }
        if (idleClose.isNegative() || (!idleClose.isZero() && idleClose.toSeconds() < 1)) {
            throw new IllegalArgumentException("idleClose must be zero (never) or at least a second: " + idleClose);
        }
        this.maxRequestConnections = maxRequestConnections;
        this.idleClose = idleClose;
    }

    @Override
    protected void additionalConfig(WebClientOptions options, WebSocketClientOptions webSockets, PoolOptions pool) {
        pool.setHttp1MaxSize(maxRequestConnections);
        // Vert.x: a keep-alive timeout of 0 is none; the connection stays in the pool until it is closed.
        options.setKeepAlive(true).setKeepAliveTimeout((int) idleClose.toSeconds());
        keepAlive(options);
        keepAlive(webSockets);
    }

    /** Vert.x's NIO transport sets only SO_KEEPALIVE (the kernel's timings apply); a native one also the timings. */
    private static void keepAlive(TCPSSLOptions options) {
        options.setTcpKeepAlive(true)
                .setTcpKeepAliveIdleSeconds(KEEP_ALIVE_IDLE_SECONDS)
                .setTcpKeepAliveIntervalSeconds(KEEP_ALIVE_INTERVAL_SECONDS)
                .setTcpKeepAliveCount(KEEP_ALIVE_PROBES);
    }
}
