package dev.drawbridge.retry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.hash.Sha256;
import dev.drawbridge.json.Mappers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What is still owed, kept on disk so that it survives a restart: one small JSON file per delivery, named after
 * its key ({@code <sha-256 of the key>.json}: a newer item for the same key takes the place of the older one),
 * written to a temporary file first and moved into place, so a crash never leaves half an entry. An entry is
 * removed once its item was delivered or given up on. {@link #resume} reads them back, oldest first, and drops
 * (with a log line) what is corrupted, older than {@code maxAge} or beyond the newest {@code maxEntries}; it
 * never throws. The items are serialised with Jackson and must carry no secret: a target is named by a
 * reference (a notifier's name, the configured forge), never by its URL or token.
 *
 * @param <T> what is delivered (a record Jackson can write and read)
 */
public final class OwedDeliveries<T> {

    /** One entry as resumed: its key, since when it is owed, and the item. */
    public record Owed<T>(String key, Instant since, T item) {
    }

    private static final Logger log = LoggerFactory.getLogger(OwedDeliveries.class);
    private static final ObjectMapper JSON = Mappers.TREES;
    private static final String SUFFIX = ".json";

    private final Path dir;
    private final Class<T> type;
    private final int maxEntries;
    private final Duration maxAge;
    private final Clock clock;

    /**
     * @param dir        the journal's directory (made on first write)
     * @param maxEntries the most entries resumed (the newest)
     * @param maxAge     entries older than this are dropped on resume
     */
    public OwedDeliveries(Path dir, Class<T> type, int maxEntries, Duration maxAge, Clock clock) {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.type = Objects.requireNonNull(type, "type");
        if (maxEntries < 1 || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("Invalid journal bounds: " + maxEntries + " entries, " + maxAge);
        }
        this.maxEntries = maxEntries;
        this.maxAge = maxAge;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Where the entries are kept. */
    public Path dir() {
        return dir;
    }

    /** Records that {@code item} is owed under {@code key}, replacing what was owed under it; false when it could not be written (logged). */
    public boolean owe(String key, T item) {
        Path file = file(key);
        Path temp = dir.resolve("." + file.getFileName() + ".tmp");
        try {
            Files.createDirectories(dir);
            ObjectNode entry = JSON.createObjectNode();
            entry.put("key", key);
            entry.put("since", clock.instant().toString());
            entry.set("item", JSON.valueToTree(item));
            Files.write(temp, JSON.writeValueAsBytes(entry));
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            log.warn("could not keep {} owed in {} (it is retried while this process runs): {}", item, dir, e.toString());
            deleteQuietly(temp);
            return false;
        }
    }

    /** Removes what was owed under {@code key}: delivered, or given up on. */
    public void settle(String key) {
        deleteQuietly(file(key));
    }

    /** What is owed, oldest first, within the bounds; drops (and logs) the rest. Never throws. */
    public List<Owed<T>> resume() {
        List<Owed<T>> owed = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return owed;
        }
        Instant oldest = clock.instant().minus(maxAge);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.startsWith(".") && name.endsWith(".tmp")) {
                    deleteQuietly(file); // a write that a crash interrupted: its entry was never in place
                    continue;
                }
                if (!name.endsWith(SUFFIX)) {
                    continue;
                }
                Owed<T> entry = read(file);
                if (entry == null) {
                    deleteQuietly(file);
                } else if (entry.since().isBefore(oldest)) {
                    log.warn("dropped {} owed since {}: older than {}", entry.item(), entry.since(), maxAge);
                    deleteQuietly(file);
                } else {
                    owed.add(entry);
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("could not read what is owed in {}: {}", dir, e.toString());
        }
        owed.sort(Comparator.comparing(Owed<T>::since));
        while (owed.size() > maxEntries) {
            Owed<T> dropped = owed.remove(0);
            log.warn("dropped {} owed since {}: more than {} owed", dropped.item(), dropped.since(), maxEntries);
            settle(dropped.key());
        }
        return owed;
    }

    private Owed<T> read(Path file) {
        try {
            JsonNode entry = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            String key = entry.path("key").asText(null);
            if (key == null || !file.equals(file(key))) {
                throw new IllegalArgumentException("its key does not match its name");
            }
            Instant since = Instant.parse(entry.path("since").asText());
            T item = JSON.treeToValue(entry.path("item"), type);
            if (item == null) {
                throw new IllegalArgumentException("no item");
            }
            return new Owed<>(key, since, item);
        } catch (IOException | RuntimeException e) {
            log.warn("dropped the corrupted owed delivery {}: {}", file, oneLine(e.getMessage()));
            return null;
        }
    }

    private Path file(String key) {
        return dir.resolve(Sha256.hex(key) + SUFFIX);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("could not remove {}: {}", file, e.toString());
        }
    }

    private static String oneLine(String text) {
        String line = text == null ? "" : text.replaceAll("\\s+", " ").strip();
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    @Override
    public String toString() {
        return "OwedDeliveries[" + dir + "]";
    }
}
