package dev.drawbridge.registry;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A transport that counts the requests in flight (until the whole answer has arrived) and their maximum. */
final class CountingTransport implements HttpTransport {
    private final HttpTransport delegate;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    CountingTransport(HttpTransport delegate) {
        this.delegate = delegate;
    }

    int maxInFlight() {
        return maxInFlight.get();
    }

    @Override
    public Answer exchange(String method, URI uri, Map<String, String> headers, Duration timeout, Duration deadline,
                           long maxBytes) throws IOException {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            return delegate.exchange(method, uri, headers, timeout, deadline, maxBytes);
        } finally {
            inFlight.decrementAndGet();
        }
    }
}
