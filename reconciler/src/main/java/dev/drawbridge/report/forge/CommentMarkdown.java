package dev.drawbridge.report.forge;

import dev.drawbridge.apply.Action;
import dev.drawbridge.apply.ChangeSetEntry;
import dev.drawbridge.apply.PlannedChanges;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.gate.GateResult;
import dev.drawbridge.gate.ImageVerdict;
import dev.drawbridge.gate.Violation;
import dev.drawbridge.report.StatusDescription;
import dev.drawbridge.values.EnvironmentName;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The markdown of Drawbridge's pull-request comment: the environment and the decision, a table of the images
 * (verdict, digest, each violation with its fix), what the merge would change in the cluster, and the links.
 * Bounded: lists of changes stop at {@link #MAX_LISTED} entries each, and image rows that do not fit in the
 * room left end the table with {@code +N more}. Everything quoted from manifests or scanners is escaped so it
 * can neither break the table nor close the hidden marker.
 */
public final class CommentMarkdown {

    /** Objects named per kind of change at most; the rest are counted. */
    static final int MAX_LISTED = 50;

    /**
     * What the comment says.
     *
     * @param environment the environment whose gate checked the head
     * @param ref         the pull request's ref, e.g. {@code refs/pull/7/head}
     * @param report      the gate's report on the head
     * @param changes     what the merge would change; null when it could not be worked out
     * @param changesNote how the changes were worked out, or why they could not be
     * @param decisionUrl the decision page of what the environment runs now; may be null
     * @param dashboard   the dashboard; may be null
     */
    public record Content(EnvironmentName environment, String ref, GateReport report, PlannedChanges changes, String changesNote,
                          String decisionUrl, String dashboard) {
    }

    private CommentMarkdown() {
    }

    /** The markdown, at most {@code room} characters. */
    public static String render(Content c, int room) {
        GateResult result = c.report().result();
        String head = c.report().revision() == null ? "?" : c.report().revision().abbreviated();
        String policy = c.report().policyRevision() == null ? "?" : c.report().policyRevision().substring(0, Math.min(12, c.report().policyRevision().length()));
        StringBuilder top = new StringBuilder();
        top.append("### Drawbridge: ").append(c.environment()).append(" — ").append(label(result)).append("\n\n");
        top.append("Head `").append(head).append("` of `").append(cell(c.ref())).append("` checked against the `")
                .append(c.environment()).append("` policy (policy revision `").append(policy)
                .append("`). A pull request is never applied; this is what merging it would meet.\n\n");
        top.append("**Decision: ").append(result.decision()).append("** — ").append(cell(StatusDescription.of(result)))
                .append("\n\n");

        String tail = problems(result) + changes(c) + links(c);
        int budget = room - top.length() - tail.length();
        String text = top + images(result.images(), budget) + tail;
        return text.length() <= room ? text : text.substring(0, Math.max(0, room - 12)) + "\n… (cut)\n";
    }

    private static String label(GateResult result) {
        return switch (result.decision()) {
            case PASS -> "passes";
            case BLOCK -> "blocked";
            case ERROR -> "could not be verified";
        };
    }

    /** The image table, cut to {@code budget} characters with a last row {@code +N more}. */
    private static String images(List<ImageVerdict> images, int budget) {
        if (images.isEmpty()) {
            return "No images in the rendered manifests.\n\n";
        }
        String header = "| Image | Verdict | Digest | Violations and fixes |\n|---|---|---|---|\n";
        StringBuilder table = new StringBuilder(header);
        String more = "| … +%d more | | | |\n";
        for (int i = 0; i < images.size(); i++) {
            String row = row(images.get(i));
            int reserve = i + 1 < images.size() ? more.length() + 8 : 0;
            if (table.length() + row.length() + reserve + 1 > budget) {
                table.append(String.format(more, images.size() - i));
                return table.append('\n').toString();
            }
            table.append(row);
        }
        return table.append('\n').toString();
    }

    private static String row(ImageVerdict v) {
        List<String> lines = new ArrayList<>();
        for (Violation violation : v.violations()) {
            lines.add("**" + cell(violation.rule()) + "**: " + cell(violation.message())
                    + (violation.fix() == null || violation.fix().isBlank() ? "" : " — fix: " + cell(violation.fix())));
        }
        for (String accepted : v.accepted()) {
            lines.add("accepted: " + cell(accepted));
        }
        return "| `" + cell(v.reference()) + "` | " + v.verdict() + " | "
                + (v.digest() == null ? "—" : "`" + v.digest() + "`") + " | "
                + (lines.isEmpty() ? "—" : String.join("<br>", lines)) + " |\n";
    }

    private static String problems(GateResult result) {
        StringBuilder text = new StringBuilder();
        if (!result.manifestViolations().isEmpty()) {
            text.append("**Manifests:**\n");
            result.manifestViolations().stream().limit(MAX_LISTED).forEach(v -> text.append("- **").append(cell(v.rule()))
                    .append("**: ").append(cell(v.message()))
                    .append(v.fix() == null || v.fix().isBlank() ? "" : " — fix: " + cell(v.fix())).append('\n'));
            more(text, result.manifestViolations().size());
            text.append('\n');
        }
        if (!result.errors().isEmpty()) {
            text.append("**Could not be verified:**\n");
            result.errors().stream().limit(MAX_LISTED).forEach(e -> text.append("- ").append(cell(e)).append('\n'));
            more(text, result.errors().size());
            text.append('\n');
        }
        if (!result.skipped().isEmpty()) {
            text.append("Rules skipped: ").append(cell(String.join(", ", result.skipped()))).append("\n\n");
        }
        return text.toString();
    }

    private static String changes(Content c) {
        StringBuilder text = new StringBuilder("#### What the merge would change in ").append(c.environment()).append("\n\n");
        if (c.changes() == null) {
            return text.append(cell(c.changesNote() == null ? "Not known." : c.changesNote())).append("\n\n").toString();
        }
        Map<Action, Integer> counts = c.changes().changes().counts();
        text.append(counts.get(Action.CREATED)).append(" created, ").append(counts.get(Action.CONFIGURED))
                .append(" configured, ").append(counts.get(Action.DELETED)).append(" pruned, ")
                .append(counts.get(Action.UNCHANGED)).append(" unchanged");
        if (counts.get(Action.SKIPPED) > 0) {
            text.append(", ").append(counts.get(Action.SKIPPED)).append(" left in place (pruning is off)");
        }
        text.append(c.changesNote() == null ? "" : " (" + cell(c.changesNote()) + ")").append(".\n");
        list(text, "created", c.changes().changes().withAction(Action.CREATED), c.changes().refused());
        list(text, "configured", c.changes().changes().withAction(Action.CONFIGURED), c.changes().refused());
        list(text, "pruned", c.changes().changes().withAction(Action.DELETED), Map.of());
        return text.append('\n').toString();
    }

    private static void list(StringBuilder text, String label, List<ChangeSetEntry> entries, Map<String, String> refused) {
        entries.stream().limit(MAX_LISTED).forEach(e -> {
            text.append("- ").append(label).append(": `").append(cell(e.id())).append('`');
            if (e.drift()) {
                text.append(" (drifted in the cluster)");
            }
            if (refused.containsKey(e.id())) {
                text.append(" — **the API server refuses it:** ").append(cell(refused.get(e.id())));
            }
            text.append('\n');
        });
        more(text, entries.size());
    }

    private static void more(StringBuilder text, int size) {
        if (size > MAX_LISTED) {
            text.append("- … +").append(size - MAX_LISTED).append(" more\n");
        }
    }

    private static String links(Content c) {
        List<String> links = new ArrayList<>();
        if (c.decisionUrl() != null) {
            links.add("[What " + c.environment() + " runs now: its decision page](" + c.decisionUrl() + ")");
        }
        if (c.dashboard() != null) {
            links.add("[Dashboard](" + c.dashboard() + ")");
        }
        return links.isEmpty() ? "" : String.join(" · ", links) + "\n";
    }

    /** One table cell or list item: one line, no pipe, nothing that reads as HTML, bounded. */
    static String cell(String text) {
        if (text == null) {
            return "";
        }
        String one = text.replaceAll("\\s*[\\r\\n]+\\s*", " ").replace("|", "\\|").replace("&", "&amp;")
                .replace("<", "&lt;").replace(">", "&gt;").replace("`", "'").strip();
        return one.length() > 1000 ? one.substring(0, 999) + "…" : one;
    }
}
