package dev.drawbridge.registry;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP exchange with a registry, without redirects, authentication or retries (the lookup does those).
 * The default is {@link UrlConnectionTransport}; tests wrap it to count or delay requests.
 */
public interface HttpTransport {

    /**
     * The answer: status, headers (names case-insensitive) and the body, bounded by the request's limit.
     */
    record Answer(int status, Map<String, List<String>> headers, byte[] body) {
        public Optional<String> header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
        }
    }

    /** The body was larger than allowed. */
    final class TooLarge extends IOException {
        public TooLarge(long limit) {
            super("larger than " + limit + " bytes");
        }
    }

    /** Nothing arrived within the timeout (connect, or a read). */
    final class Timeout extends IOException {
        public Timeout(String message) {
            super(message);
        }
    }

    /**
     * @param timeout  connect timeout and the longest wait for any read
     * @param deadline the longest the whole exchange, body included, may take
     * @param maxBytes the largest body accepted; more is {@link TooLarge}
     */
    Answer exchange(String method, URI uri, Map<String, String> headers, Duration timeout, Duration deadline,
                    long maxBytes) throws IOException;
}
