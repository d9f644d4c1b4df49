package dev.drawbridge.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP server on loopback that records every request it gets and answers each with a small, valid
 * Kubernetes object, so that a fetch that should never happen is seen (and would succeed if it did).
 */
public final class RequestTrap implements AutoCloseable {

    private static final byte[] BODY = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: fetched-from-the-network
            data:
              key: value
            """.getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private RequestTrap(HttpServer server) {
        this.server = server;
    }

    public static RequestTrap start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
            RequestTrap trap = new RequestTrap(server);
            server.createContext("/", exchange -> {
                trap.requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
                exchange.sendResponseHeaders(200, BODY.length);
                exchange.getResponseBody().write(BODY);
                exchange.close();
            });
            server.start();
            return trap;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:PORT/<name>}. */
    public String url(String name) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name;
    }

    /** Every request received so far, {@code METHOD /path}. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
