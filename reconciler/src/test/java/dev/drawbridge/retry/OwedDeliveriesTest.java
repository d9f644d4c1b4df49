package dev.drawbridge.retry;

import dev.drawbridge.apply.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The journal of owed deliveries: one file per key, written whole, bounded in count and age, never failing a start. */
class OwedDeliveriesTest {

    /** What is delivered, as the journal keeps it. */
    record Item(String key, String text) {
        Item {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("Invalid key: " + key);
            }
        }
    }

    @TempDir
    Path dir;

    MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));

    OwedDeliveries<Item> journal(int maxEntries) {
        return new OwedDeliveries<>(dir.resolve("owed"), Item.class, maxEntries, Duration.ofDays(1), clock);
    }

    List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("owed"))) {
            return files.toList();
        }
    }

    @Test
    void keepsOneWholeEntryPerKeyTheNewestInPlaceOfTheOlderAndReadsThemBackOldestFirst() throws Exception {
        OwedDeliveries<Item> journal = journal(10);
        journal.owe("b", new Item("b", "first"));
        clock.advance(Duration.ofSeconds(1));
        journal.owe("a", new Item("a", "only"));
        clock.advance(Duration.ofSeconds(1));
        journal.owe("b", new Item("b", "newer"));

        assertThat(files()).as("no temporary file left").hasSize(2).allSatisfy(f -> assertThat(f.toString()).endsWith(".json"));
        assertThat(journal(10).resume()).extracting(OwedDeliveries.Owed::item)
                .containsExactly(new Item("a", "only"), new Item("b", "newer"));

        journal.settle("a");
        assertThat(journal(10).resume()).extracting(OwedDeliveries.Owed::key).containsExactly("b");
    }

    @Test
    void dropsACorruptedEntryAnEntryTooOldAndTheOldestBeyondTheBoundWithoutFailing() throws Exception {
        OwedDeliveries<Item> journal = journal(2);
        journal.owe("old", new Item("old", "a day ago"));
        clock.advance(Duration.ofDays(1).plusMinutes(1));
        journal.owe("one", new Item("one", "1"));
        clock.advance(Duration.ofSeconds(1));
        journal.owe("two", new Item("two", "2"));
        clock.advance(Duration.ofSeconds(1));
        journal.owe("three", new Item("three", "3"));
        Files.writeString(dir.resolve("owed").resolve("0123.json"), "{\"key\": \"x\", \"since\": ");
        Files.writeString(dir.resolve("owed").resolve(".half.json.tmp"), "{");
        Path invalid = files().stream().filter(f -> readQuietly(f).contains("\"three\"")).findFirst().orElseThrow();
        Files.writeString(invalid, readQuietly(invalid).replace("\"key\":\"three\",\"text\"", "\"key\":\"\",\"text\""));

        List<OwedDeliveries.Owed<Item>> resumed = journal.resume();

        assertThat(resumed).extracting(OwedDeliveries.Owed::key).as("too old, corrupted and invalid dropped").containsExactly("one", "two");
        assertThat(files()).hasSize(2);
        assertThat(journal(1).resume()).extracting(OwedDeliveries.Owed::key).as("beyond the bound: the oldest go").containsExactly("two");
        assertThat(files()).hasSize(1);
    }

    @Test
    void aJournalThatCannotBeWrittenLeavesTheDeliveryInMemory() throws Exception {
        Files.writeString(dir.resolve("owed"), "a file where the directory should be");

        assertThat(journal(10).owe("a", new Item("a", "x"))).isFalse();
        assertThat(journal(10).resume()).isEmpty();
    }

    static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
