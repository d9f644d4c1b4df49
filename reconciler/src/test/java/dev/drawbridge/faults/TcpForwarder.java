package dev.drawbridge.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP port that forwards to another one, and can be cut (the port closed, every connection reset: a
 * server gone) and restored on the same port (the server back), as a restarted API server is.
 */
final class TcpForwarder implements AutoCloseable {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final int target;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;

    TcpForwarder(int target) {
        this.target = target;
        try {
            server = new ServerSocket(0, 50, LOOPBACK);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        port = server.getLocalPort();
        accept(server);
    }

    int port() {
        return port;
    }

    /** The server is gone: nothing listens on the port, open connections are reset. */
    synchronized void cut() {
        close(server);
        open.forEach(TcpForwarder::close);
        open.clear();
    }

    /** The server is back, on the same port. */
    synchronized void restore() {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(LOOPBACK, port));
            server = socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        accept(server);
    }

    private void accept(ServerSocket socket) {
        Thread acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket in = socket.accept();
                    Socket out = new Socket(LOOPBACK, target);
                    open.add(in);
                    open.add(out);
                    pipe(in, out);
                    pipe(out, in);
                } catch (IOException e) {
                    return; // cut
                }
            }
        }, "forwarder-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void pipe(Socket from, Socket to) {
        Thread pipe = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // reset by cut()
            } finally {
                close(from);
                close(to);
            }
        }, "forwarder-pipe-" + port);
        pipe.setDaemon(true);
        pipe.start();
    }

    private static void close(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        cut();
    }
}
