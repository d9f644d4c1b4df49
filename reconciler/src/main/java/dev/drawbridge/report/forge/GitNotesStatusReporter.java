package dev.drawbridge.report.forge;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * For setups without a forge API: the status is a Git note on the commit under {@code refs/notes/drawbridge},
 * one line per environment, {@code drawbridge/<env> <state>: <description>}, then a line with the target_url.
 * Posting a status replaces the lines of its context and keeps those of the other environments. A note that
 * would not change is not pushed, and {@code pending} is not written over an outcome of its context.
 */
public final class GitNotesStatusReporter implements StatusReporter {

    private static final Pattern HEADER = Pattern.compile("^(\\S+) (pending|success|failure|error):(?: (.*))?$");

    private final NoteStore notes;

    public GitNotesStatusReporter(NoteStore notes) {
        this.notes = Objects.requireNonNull(notes, "notes");
    }

    @Override
    public void report(CommitStatus status) throws ForgeException {
        try {
            notes.update(status.sha().hex(), current -> decided(current, status) ? current : merge(current, status));
        } catch (IOException e) {
            throw new ForgeException("git-notes", 0, true, "git-notes: cannot write " + status + ": " + e.getMessage());
        }
    }

    /**
     * True for a {@code pending} status on a commit whose note already holds an outcome of its context: the
     * revision was decided before (by this process or an earlier one), so pending is not written again.
     */
    static boolean decided(String note, CommitStatus status) {
        if (note == null || status.state() != CommitStatus.State.PENDING) {
            return false;
        }
        for (String line : note.split("\\R")) {
            Matcher m = HEADER.matcher(line);
            if (m.matches() && m.group(1).equals(status.context()) && !m.group(2).equals("pending")) {
                return true;
            }
        }
        return false;
    }

    /** The note with the lines of {@code status}'s context replaced (or added at the end). */
    static String merge(String note, CommitStatus status) {
        Map<String, List<String>> entries = new LinkedHashMap<>();
        List<String> preamble = new ArrayList<>();
        List<String> current = preamble;
        if (note != null) {
            for (String line : note.split("\\R")) {
                Matcher m = HEADER.matcher(line);
                if (m.matches()) {
                    current = new ArrayList<>();
                    entries.put(m.group(1), current);
                    current.add(line);
                } else if (!line.isBlank()) {
                    current.add(line);
                }
            }
        }
        List<String> mine = new ArrayList<>();
        String description = status.description();
        mine.add(status.context() + " " + GitHubStatusReporter.state(status.state()).toLowerCase(Locale.ROOT) + ":"
                + (description.isEmpty() ? "" : " " + description));
        if (status.targetUrl() != null && !status.targetUrl().isBlank()) {
            mine.add(status.targetUrl().strip());
        }
        entries.put(status.context(), mine);
        List<String> lines = new ArrayList<>(preamble);
        entries.values().forEach(lines::addAll);
        return String.join("\n", lines) + "\n";
    }

    @Override
    public String toString() {
        return "GitNotesStatusReporter[" + notes + "]";
    }
}
