package dev.drawbridge.registry;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
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

    private final List<X509Certificate> extraAuthorities;
    private volatile SSLSocketFactory sockets; // made on first https use: TLS setup is slow to start

    /** Trusts the JDK's default certificate authorities. */
    public UrlConnectionTransport() {
        this(List.of());
    }

    /**
     * @param extraAuthorities certificate authorities trusted on top of the JDK's default ones (a registry with
     *                         its own CA); host names are always verified
     */
    public UrlConnectionTransport(List<X509Certificate> extraAuthorities) {
        this.extraAuthorities = List.copyOf(extraAuthorities);
    }

    @Override
    public Answer exchange(String method, URI uri, Map<String, String> headers, Duration timeout, Duration deadline,
                           long maxBytes) throws IOException {
        long end = System.nanoTime() + deadline.toNanos();
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        try {
            if (!extraAuthorities.isEmpty() && connection instanceof HttpsURLConnection https) {
                https.setSSLSocketFactory(sockets());
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

    private SSLSocketFactory sockets() {
        SSLSocketFactory made = sockets;
        if (made == null) {
            made = withExtraAuthorities(extraAuthorities);
            sockets = made;
        }
        return made;
    }

    private static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    /** TLS that trusts the JDK's default certificate authorities and {@code extra}, and nothing else. */
    static SSLSocketFactory withExtraAuthorities(List<X509Certificate> extra) {
        try {
            TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            defaults.init((KeyStore) null);
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int n = 0;
            for (var manager : defaults.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    for (X509Certificate ca : x509.getAcceptedIssuers()) {
                        anchors.setCertificateEntry("default-" + n++, ca);
                    }
                }
            }
            for (X509Certificate ca : extra) {
                anchors.setCertificateEntry("extra-" + n++, ca);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS with the registry's certificate authorities", e);
        }
    }
}
