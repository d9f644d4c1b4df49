package dev.drawbridge.insight;

import java.util.List;

/**
 * The priorities and the team table as text for a terminal ({@code report}, {@code scripts/demo}), and as
 * Markdown tables ({@code report --format markdown}).
 */
public final class InsightText {

    private InsightText() {
    }

    /** Readable text: the first {@code limit} priorities (all when 0 or less), then the teams. */
    public static String render(Insight insight, int limit) {
        StringBuilder out = new StringBuilder();
        List<Priority> shown = limit > 0 ? insight.top(limit) : insight.priorities();
        out.append("Priorities (").append(insight.priorities().size()).append(" finding")
                .append(insight.priorities().size() == 1 ? "" : "s").append(", the fix that unblocks the most first)\n");
        if (shown.isEmpty()) {
            out.append("  nothing to fix\n");
        }
        for (Priority p : shown) {
            out.append(String.format("  %2d. %s%s%s  [%s]%n", p.rank(), p.finding(),
                    p.severity() == null ? "" : " " + p.severity(), p.blocking() ? " BLOCKING" : " warning",
                    p.rule()));
            out.append("      do:       ").append(oneLine(p.fix())).append('\n');
            out.append("      effect:   ").append(p.unblocks()).append('\n');
            out.append("      teams:    ").append(p.teams().isEmpty() ? "-" : String.join(", ", p.teams()))
                    .append(p.fixable() ? "" : "  (no fix available yet)").append('\n');
        }
        if (shown.size() < insight.priorities().size()) {
            out.append("  ... ").append(insight.priorities().size() - shown.size()).append(" more\n");
        }
        out.append('\n').append("Teams (best first)\n");
        out.append(String.format("  %-4s %-20s %6s %7s %7s %6s %7s %14s %11s %12s %14s%n", "rank", "team", "images",
                "passing", "blocked", "warned", "unknown", "fixable C/H", "exceptions", "next expiry", "fix (h, median)"));
        for (TeamScore t : insight.teams()) {
            out.append(String.format("  %-4d %-20s %6d %7d %7d %6d %7d %14d %11d %12s %14s%n", t.rank(), t.team(), t.images(),
                    t.passing(), t.blocked(), t.warned(), t.unknown(), t.fixableCriticalHigh(), t.exceptions(),
                    t.nextExpiry() == null ? "-" : t.nextExpiry(),
                    t.medianTimeToFixHours() == null ? "-" : t.medianTimeToFixHours()));
        }
        for (TeamScore t : insight.teams()) {
            if (t.daysSinceProductionBlock() != null) {
                out.append("  ").append(t.team()).append(": ").append(t.daysSinceProductionBlock() == 0
                        ? "blocks production now" : t.daysSinceProductionBlock() + " days since it last blocked production")
                        .append('\n');
            }
        }
        return out.toString();
    }

    /** Two Markdown tables: the priorities, then the teams. */
    public static String markdown(Insight insight) {
        StringBuilder md = new StringBuilder("## Priorities\n\n");
        md.append("| rank | finding | severity | blocking | fix | unblocks | teams | images |\n");
        md.append("| ---: | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Priority p : insight.priorities()) {
            md.append("| ").append(p.rank()).append(" | ").append(cell(p.finding()))
                    .append(p.finding().equals(p.rule()) ? "" : " (" + cell(p.rule()) + ")")
                    .append(" | ").append(p.severity() == null ? "" : p.severity())
                    .append(" | ").append(p.blocking() ? "yes" : "no (warning)")
                    .append(" | ").append(cell(p.fix())).append(p.fixable() ? "" : " (no fix yet)")
                    .append(" | ").append(cell(p.unblocks()))
                    .append(" | ").append(cell(String.join(", ", p.teams())))
                    .append(" | ").append(cell(String.join(", ", p.images()))).append(" |\n");
        }
        md.append("\n## Teams\n\n");
        md.append("| rank | team | images | passing | blocked | warned | fixable CRITICAL/HIGH | exceptions | next expiry "
                + "| median time to fix (h) | days since production block |\n");
        md.append("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |\n");
        for (TeamScore t : insight.teams()) {
            md.append("| ").append(t.rank()).append(" | ").append(cell(t.team())).append(" | ").append(t.images())
                    .append(" | ").append(t.passing()).append(" | ").append(t.blocked()).append(" | ").append(t.warned())
                    .append(" | ").append(t.fixableCriticalHigh()).append(" | ").append(t.exceptions())
                    .append(" | ").append(t.nextExpiry() == null ? "" : t.nextExpiry())
                    .append(" | ").append(t.medianTimeToFixHours() == null ? "" : t.medianTimeToFixHours())
                    .append(" | ").append(t.daysSinceProductionBlock() == null ? "never" : t.daysSinceProductionBlock())
                    .append(" |\n");
        }
        return md.toString();
    }

    /** A Markdown table cell: HTML and pipes escaped, line breaks as {@code <br>}. */
    static String cell(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", "<br>").replace("\n", "<br>")
                .replace("\r", "<br>");
    }

    private static String oneLine(String text) {
        return text.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    }
}
