package dev.drawbridge.report.forge;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Never posts the same state and description twice for one sha and context: forges cap the statuses per
 * sha and context (GitHub at 1000), and a reconcile that changes nothing must post nothing. Remembers the
 * last posted state and description of the most recently used {@code maxEntries} keys, and only after the
 * forge accepted the status, so a failed post is tried again next time.
 */
public final class DeduplicatingReporter implements StatusReporter {

    public static final int DEFAULT_MAX_ENTRIES = 4096;
    private static final Logger log = LoggerFactory.getLogger(DeduplicatingReporter.class);

    private final StatusReporter delegate;
    private final Map<String, String> lastPosted;

    public DeduplicatingReporter(StatusReporter delegate) {
        this(delegate, DEFAULT_MAX_ENTRIES);
    }

    public DeduplicatingReporter(StatusReporter delegate, int maxEntries) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        if (maxEntries < 1) {
            throw new IllegalArgumentException("Invalid maxEntries: " + maxEntries);
        }
        this.lastPosted = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > maxEntries;
            }
        };
    }

    @Override
    public void report(CommitStatus status) throws ForgeException {
        String key = status.key();
        String value = status.state() + "\n" + status.description();
        synchronized (lastPosted) {
            if (value.equals(lastPosted.get(key))) {
                log.debug("{} unchanged, not posted again", status);
                return;
            }
        }
        delegate.report(status);
        synchronized (lastPosted) {
            lastPosted.put(key, value);
        }
    }

    @Override
    public String toString() {
        return "DeduplicatingReporter[" + delegate + "]";
    }
}
