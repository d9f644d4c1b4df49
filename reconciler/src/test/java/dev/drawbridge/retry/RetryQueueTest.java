package dev.drawbridge.retry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The bounded worker with a journal: what is owed stays on disk until it is delivered, given up on or replaced. */
class RetryQueueTest {

    record Item(String key, String text) {
    }

    @TempDir
    Path dir;

    List<Item> delivered = new CopyOnWriteArrayList<>();

    OwedDeliveries<Item> journal() {
        return new OwedDeliveries<>(dir, Item.class, 100, Duration.ofDays(1), Clock.systemUTC());
    }

    RetryQueue<Item> queue(RetryQueue.Delivery<Item> delivery, Sleeper sleeper) {
        return new RetryQueue<>("item", "deliver", "test-retry-queue", Item::key, delivery, e -> e instanceof IOException,
                new RetryQueue.Settings(10, new Backoff(5, Duration.ofSeconds(2), Duration.ofSeconds(30)), sleeper), journal());
    }

    @Test
    void anItemStillOwedWhenTheProcessStopsIsDeliveredByTheNextOneAndThenForgotten() throws Exception {
        CountDownLatch waiting = new CountDownLatch(1);
        List<Duration> waits = new CopyOnWriteArrayList<>();
        RetryQueue<Item> first = queue(item -> {
            throw new IOException("503");
        }, d -> {
            waits.add(d);
            waiting.countDown();
            Thread.sleep(60_000); // until stopped
        });
        first.submit(new Item("a", "first"));
        first.submit(new Item("b", "second"));
        assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
        first.close();

        assertThat(waits).containsExactly(Duration.ofSeconds(2));
        assertThat(journal().resume()).extracting(OwedDeliveries.Owed::key).containsExactlyInAnyOrder("a", "b");

        try (RetryQueue<Item> second = queue(delivered::add, d -> { })) {
            assertThat(second.resume()).isEqualTo(2);
            assertThat(second.flush(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(delivered).containsExactlyInAnyOrder(new Item("a", "first"), new Item("b", "second"));
        assertThat(journal().resume()).isEmpty();
    }

    @Test
    void anItemGivenUpOnIsForgottenAndANewerOneForTheSameKeyIsKeptInstead() throws Exception {
        try (RetryQueue<Item> queue = queue(item -> {
            if (item.text().equals("bad")) {
                throw new IllegalArgumentException("refused for good");
            }
            throw new IOException("503");
        }, d -> { })) {
            queue.submit(new Item("a", "bad"));
            assertThat(queue.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(journal().resume()).as("given up on: not owed").isEmpty();

            queue.submit(new Item("b", "retried until out of attempts"));
            assertThat(queue.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(queue.stats().failed()).isEqualTo(2);
            assertThat(queue.stats().retried()).isEqualTo(4);
            assertThat(journal().resume()).isEmpty();
        }
    }

    @Test
    void resumeSkipsWhatANewerItemForTheSameKeyAlreadyReplaced() throws Exception {
        journal().owe("a", new Item("a", "old"));
        CountDownLatch release = new CountDownLatch(1);
        try (RetryQueue<Item> queue = queue(item -> {
            release.await(10, TimeUnit.SECONDS);
            delivered.add(item);
        }, d -> { })) {
            queue.submit(new Item("a", "new"));
            assertThat(queue.resume()).isZero();
            release.countDown();
            assertThat(queue.flush(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(delivered).containsExactly(new Item("a", "new"));
        assertThat(journal().resume()).isEmpty();
    }
}
