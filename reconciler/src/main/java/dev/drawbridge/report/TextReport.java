package dev.drawbridge.report;

import dev.drawbridge.gate.GateReport;
import dev.drawbridge.gate.GateResult;
import dev.drawbridge.gate.ImageVerdict;
import dev.drawbridge.gate.Verdict;
import dev.drawbridge.gate.Violation;

import java.util.List;

/** A gate report as a table a human reads in a terminal. */
public final class TextReport {
    private TextReport() {
    }

    public static String render(GateReport report) {
        GateResult r = report.result();
        StringBuilder out = new StringBuilder();
        out.append("environment ").append(report.environment())
                .append("  revision ").append(report.revision() == null ? "-" : report.revision().abbreviated())
                .append("  policy ").append(shortSha(report.policyRevision()))
                .append('\n');
        if (!r.images().isEmpty()) {
            int width = Math.max(5, r.images().stream().mapToInt(v -> v.reference().length()).max().orElse(5));
            out.append(String.format("%-" + width + "s  %-7s  %-19s  %s%n", "IMAGE", "VERDICT", "DIGEST", "WORKLOADS"));
            for (ImageVerdict v : r.images()) {
                out.append(String.format("%-" + width + "s  %-7s  %-19s  %s%n", v.reference(), v.verdict(),
                        v.digest() == null ? "-" : v.digest().shortForm(), String.join(", ", v.workloads())));
                for (Violation x : v.violations()) {
                    violation(out, x, v.verdict());
                }
                for (String a : v.accepted()) {
                    out.append("    ~ ").append(a).append('\n');
                }
            }
        }
        for (Violation x : r.manifestViolations()) {
            violation(out, x, Verdict.BLOCK);
        }
        for (String e : r.errors()) {
            out.append("  ! error: ").append(e).append('\n');
        }
        for (String s : r.skipped()) {
            out.append("  - skipped: ").append(s).append('\n');
        }
        out.append("decision: ").append(r.decision()).append(" — ").append(StatusDescription.of(r)).append('\n');
        return out.toString();
    }

    private static void violation(StringBuilder out, Violation x, Verdict verdict) {
        String mark = verdict == Verdict.WARN ? "!" : "x";
        out.append("    ").append(mark).append(' ').append(x.rule()).append(": ").append(x.message()).append('\n');
        if (x.fix() != null) {
            out.append("      fix: ").append(x.fix()).append('\n');
        }
    }

    private static String shortSha(String sha) {
        return sha == null ? "-" : sha.substring(0, Math.min(12, sha.length()));
    }

    static List<String> lines(GateReport report) {
        return List.of(render(report).split("\n"));
    }
}
