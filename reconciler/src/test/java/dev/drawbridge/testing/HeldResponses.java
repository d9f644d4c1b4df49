package dev.drawbridge.testing;

import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WireMock extension that holds every answer until the test {@link #release}s them: a slow endpoint whose
 * slowness is a state, not a duration. While an answer is held, the request has arrived ({@link #held()}) and the
 * client cannot have its response, so "the caller returned while the delivery is still blocked" is proven by
 * {@code held() > 0} before the release. Register it with {@code wireMockConfig().extensions(held)}; an answer
 * held longer than the safety limit is let go and counted ({@link #expired()}), so a broken test fails instead of
 * hanging.
 */
public final class HeldResponses implements ResponseDefinitionTransformerV2, AutoCloseable {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicInteger expired = new AtomicInteger();

    @Override
    public String getName() {
        return "held-responses";
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        held.incrementAndGet();
        try {
            if (!release.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                expired.incrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            held.decrementAndGet();
        }
        return event.getResponseDefinition();
    }

    /** How many requests have arrived and wait for their answer right now. */
    public int held() {
        return held.get();
    }

    /** How many answers were let go by the safety limit rather than by {@link #release}. */
    public int expired() {
        return expired.get();
    }

    /** Lets every held answer go, and every later one through at once. */
    public void release() {
        release.countDown();
    }

    @Override
    public void close() {
        release();
    }
}
