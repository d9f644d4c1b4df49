package dev.drawbridge.registry;

import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link HttpTransport} over {@link HttpURLConnection}: blocking, with the JDK's keep-alive connection
 * reuse. Chosen over {@code java.net.http.HttpClient} because a {@code check} is a short-lived process: that
 * client costs a few hundred milliseconds to initialise, and its selector thread, parked in native code,
 * delays the JVM's exit by another 300 ms.
 */
public final class UrlConnectionTransport implements HttpTransport {

    private static final int CHUNK = 16 * 1024;

    private static final HostnameVerifier ANY_HOST = (host, session) -> true;

    private final boolean insecure;
    private volatile SSLSocketFactory insecureSockets; // made on first https use: TLS setup is slow to start

    /** @param insecure trust any certificate and host name (self-signed registries in loopback tests only) */
    public UrlConnectionTransport(boolean insecure) {
        this.insecure = insecure;
    }

    @Override
    public Answer exchange(String method, URI uri, Map<String, String> headers, Duration timeout, Duration deadline,
                           long maxBytes) throws IOException {
        long end = System.nanoTime() + deadline.toNanos();
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        try {
            if (insecure && connection instanceof HttpsURLConnection https) {
                https.setSSLSocketFactory(insecureSockets());
                https.setHostnameVerifier(ANY_HOST);
            }
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setConnectTimeout(millis(timeout));
            connection.setReadTimeout(millis(timeout));
            connection.setRequestMethod(method);
            headers.forEach(connection::setRequestProperty);
            int status = connection.getResponseCode();
            Map<String, List<String>> answerHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            connection.getHeaderFields().forEach((name, values) -> {
                if (name != null) {
                    answerHeaders.put(name, List.copyOf(values));
                }
            });
            long declared = connection.getContentLengthLong();
            if (declared > maxBytes) {
                throw new TooLarge(maxBytes);
            }
            byte[] body = method.equals("HEAD") ? new byte[0] : read(connection, status, maxBytes, end, timeout);
            return new Answer(status, answerHeaders, body);
        } catch (SocketTimeoutException e) {
            throw new Timeout("no answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            connection.disconnect(); // do not return a half-read connection to the keep-alive pool
            throw e;
        }
    }

    private static byte[] read(HttpURLConnection connection, int status, long maxBytes, long end, Duration timeout)
            throws IOException {
        InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        if (in == null) {
            return new byte[0];
        }
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[CHUNK];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (out.size() + (long) n > maxBytes) {
                    throw new TooLarge(maxBytes);
                }
                out.write(buffer, 0, n);
                if (System.nanoTime() > end) {
                    throw new Timeout("the answer did not complete within " + timeout.toMillis() + " ms");
                }
            }
            return out.toByteArray();
        }
    }

    private SSLSocketFactory insecureSockets() {
        SSLSocketFactory sockets = insecureSockets;
        if (sockets == null) {
            sockets = trustAll();
            insecureSockets = sockets;
        }
        return sockets;
    }

    private static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    private static SSLSocketFactory trustAll() {
        TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustAll}, null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS implementation", e);
        }
    }
}
