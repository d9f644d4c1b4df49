package dev.drawbridge.report.forge;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Posts a status only when the forge does not already hold it, so that a reconcile that changes nothing
 * posts nothing whichever process runs it and however often it restarted: what is on the forge for a sha
 * and context is read from the forge once ({@link StatusReader}) and then kept up to date by what this
 * reporter posts. Rules:
 * <ul>
 *   <li>the same state and description as the forge's newest status of the context: not posted;</li>
 *   <li>{@code pending} only where the forge holds no status of the context on that sha yet (a new sha), or
 *       a pending one: a revision already decided goes straight to its outcome, which is posted only if it
 *       differs;</li>
 *   <li>when the forge cannot be read, the status is posted (a repeated status is better than a missing one).</li>
 * </ul>
 */
public final class QuietReporter implements StatusReporter {

    private static final Logger log = LoggerFactory.getLogger(QuietReporter.class);

    private final StatusReporter delegate;
    private final StatusReader reader;
    private final Map<String, StatusReader.Current> known;

    public QuietReporter(StatusReporter delegate, StatusReader reader) {
        this(delegate, reader, DeduplicatingReporter.DEFAULT_MAX_ENTRIES);
    }

    public QuietReporter(StatusReporter delegate, StatusReader reader, int maxEntries) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.reader = Objects.requireNonNull(reader, "reader");
        if (maxEntries < 1) {
            throw new IllegalArgumentException("Invalid maxEntries: " + maxEntries);
        }
        this.known = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, StatusReader.Current> eldest) {
                return size() > maxEntries;
            }
        };
    }

    @Override
    public void report(CommitStatus status) throws ForgeException {
        String posting = stateName(status.state());
        Optional<StatusReader.Current> current = current(status);
        if (current.isPresent()) {
            StatusReader.Current now = current.get();
            boolean same = now.state().equals(posting) && now.description().equals(status.description());
            boolean decided = status.state() == CommitStatus.State.PENDING && !now.state().equals(posting);
            if (same || decided) {
                log.debug("{}: the forge holds {} already, not posted", status, now.state());
                return;
            }
        }
        delegate.report(status);
        synchronized (known) {
            known.put(status.key(), new StatusReader.Current(posting, status.description()));
        }
    }

    private Optional<StatusReader.Current> current(CommitStatus status) {
        synchronized (known) {
            StatusReader.Current kept = known.get(status.key());
            if (kept != null) {
                return Optional.of(kept);
            }
        }
        try {
            Optional<StatusReader.Current> read = reader.current(status.sha().hex(), status.context());
            read.ifPresent(c -> {
                synchronized (known) {
                    known.put(status.key(), c);
                }
            });
            return read;
        } catch (ForgeException | RuntimeException e) {
            log.info("{}: could not read what the forge holds ({}); posting", status, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The state as the forge names it. GitLab has one {@code failed} for failure and error; the description
     * tells them apart, so comparing both is enough.
     */
    private String stateName(CommitStatus.State state) {
        return reader instanceof ForgeStatusReader forge ? forge.stateName(state) : GitHubStatusReporter.state(state);
    }

    @Override
    public String toString() {
        return "QuietReporter[" + delegate + "]";
    }
}
