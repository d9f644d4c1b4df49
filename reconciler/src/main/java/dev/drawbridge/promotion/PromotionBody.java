package dev.drawbridge.promotion;

import dev.drawbridge.decision.DecisionRecord;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.gate.ImageVerdict;
import dev.drawbridge.gate.Verdict;
import dev.drawbridge.gate.Violation;
import dev.drawbridge.image.ImageReference;
import dev.drawbridge.report.StatusDescription;
import dev.drawbridge.values.EnvironmentName;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The title and markdown description of a promotion request: each image with its digest, what changes in the
 * target (a new image, a new digest, or nothing), the target gate's verdict on it, the manifests that change,
 * the source's decision link and the target gate's decision with its reasons. Made only from what it is given,
 * so the same inputs give the same text (a request whose text is the same is left unchanged).
 */
final class PromotionBody {

    /** Files listed at most under "Manifests changed". */
    static final int FILES_LISTED = 20;
    /** Ends every description; says who keeps the request. */
    static final String MARKER = "<!-- drawbridge:promotion -->";

    private PromotionBody() {
    }

    /** {@code Promote <source>@<short sha> to <target>}. */
    static String title(Edge edge, Candidate candidate) {
        return "Promote " + edge.source().name() + "@" + candidate.shortSha() + " to " + edge.target().name();
    }

    /**
     * @param gate           the target's gate on the candidate (null when it could not run)
     * @param targetApplied  the images of the target's last applied decision (null when unknown)
     * @param changedFiles   the files the promotion changes in the target branch
     * @param conflicts      files that conflict with the target branch (empty when it merges cleanly)
     * @param request        a promotion request from the promotion branch (else a local merge)
     */
    static String render(Edge edge, Candidate candidate, GateReport gate, List<DecisionRecord.RecordedImage> targetApplied,
                         List<String> changedFiles, List<String> conflicts, boolean request) {
        EnvironmentName source = edge.source().name();
        EnvironmentName target = edge.target().name();
        StringBuilder md = new StringBuilder();
        md.append("Drawbridge proposes exactly the revision that **").append(source).append("** applied with PASS: `")
                .append(candidate.revision()).append('`')
                .append(request ? " (branch `" + edge.branch() + "`), for `" : ", merged into `")
                .append(edge.target().branch()).append("`.\n\n");
        md.append("| image | digest | in ").append(target).append(" | ").append(target).append("'s gate |\n");
        md.append("| --- | --- | --- | --- |\n");
        Map<String, String> applied = byName(targetApplied);
        if (gate != null && !gate.result().images().isEmpty()) {
            for (ImageVerdict v : gate.result().images()) {
                String digest = v.digest() == null ? null : v.digest().toString();
                md.append("| `").append(cell(v.reference())).append("` | ").append(code(digest)).append(" | ")
                        .append(change(applied, targetApplied == null, v.image().name(), digest)).append(" | ")
                        .append(verdict(v)).append(" |\n");
            }
        } else {
            for (DecisionRecord.RecordedImage image : candidate.images()) {
                md.append("| `").append(cell(image.reference())).append("` | ").append(code(image.digest())).append(" | ")
                        .append(change(applied, targetApplied == null, name(image.reference()), image.digest()))
                        .append(" | - |\n");
            }
        }
        md.append('\n');
        if (changedFiles.isEmpty()) {
            md.append("**Manifests changed:** none\n\n");
        } else {
            md.append("**Manifests changed** (").append(changedFiles.size()).append("): ");
            List<String> listed = changedFiles.subList(0, Math.min(FILES_LISTED, changedFiles.size()));
            md.append(String.join(", ", listed.stream().map(f -> "`" + cell(f) + "`").toList()));
            if (changedFiles.size() > FILES_LISTED) {
                md.append(" +").append(changedFiles.size() - FILES_LISTED).append(" more");
            }
            md.append("\n\n");
        }
        if (!conflicts.isEmpty()) {
            md.append("**Conflicts with `").append(edge.target().branch()).append("`:** ")
                    .append(String.join(", ", conflicts.stream().map(f -> "`" + cell(f) + "`").toList())).append("\n\n");
        }
        md.append("**Decision of ").append(source).append(":** ").append(candidate.decisionLink()).append("\n\n");
        if (gate == null) {
            md.append("**").append(target).append("'s gate:** not run\n");
        } else {
            md.append("**").append(target).append("'s gate:** ").append(gate.result().decision()).append(" — ")
                    .append(cell(StatusDescription.of(gate.result()))).append('\n');
            for (String reason : reasons(gate)) {
                md.append("- ").append(reason).append('\n');
            }
        }
        md.append('\n').append(MARKER).append('\n');
        return md.toString();
    }

    /** Why the gate blocks or errs, one line each: image rule violations with their fix, manifest rules, errors. */
    static List<String> reasons(GateReport gate) {
        List<String> lines = new ArrayList<>();
        for (ImageVerdict v : gate.result().images()) {
            if (v.verdict() != Verdict.BLOCK && v.verdict() != Verdict.ERROR) {
                continue;
            }
            for (Violation x : v.violations()) {
                lines.add(v.reference() + ": " + x.rule() + ": " + x.message()
                        + (x.fix() == null ? "" : " (fix: " + x.fix() + ")"));
            }
        }
        for (Violation x : gate.result().manifestViolations()) {
            lines.add(x.rule() + ": " + x.message() + (x.fix() == null ? "" : " (fix: " + x.fix() + ")"));
        }
        lines.addAll(gate.result().errors());
        return lines;
    }

    private static String change(Map<String, String> applied, boolean unknown, String name, String digest) {
        if (unknown) {
            return "unknown (nothing applied yet)";
        }
        if (name == null || !applied.containsKey(name)) {
            return "new image";
        }
        String was = applied.get(name);
        if (digest != null && digest.equals(was)) {
            return "unchanged";
        }
        return "new digest (runs " + code(was) + ")";
    }

    private static String verdict(ImageVerdict v) {
        if (v.violations().isEmpty()) {
            return v.verdict().name();
        }
        Violation first = v.violations().get(0);
        String detail = first.id() != null ? first.rule() + " " + first.id() : first.rule();
        int more = v.violations().size() - 1;
        return v.verdict() + ": " + cell(detail) + (more > 0 ? " +" + more + " more" : "");
    }

    private static Map<String, String> byName(List<DecisionRecord.RecordedImage> images) {
        Map<String, String> map = new HashMap<>();
        if (images != null) {
            for (DecisionRecord.RecordedImage image : images) {
                String name = name(image.reference());
                if (name != null && image.digest() != null) {
                    map.put(name, image.digest());
                }
            }
        }
        return map;
    }

    private static String name(String reference) {
        try {
            return ImageReference.parse(reference).name();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String code(String digest) {
        if (digest == null) {
            return "-";
        }
        return "`" + (digest.length() > 19 ? digest.substring(0, 19) + "…" : digest) + "`";
    }

    /** A table cell's text: no pipes or line breaks. */
    private static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replaceAll("\\s+", " ");
    }
}
