package dev.drawbridge.insight;

import java.util.List;

/**
 * The priorities as CSV (RFC 4180) for spreadsheets and boards: a header row, then one finding a row; lines end
 * with CRLF; a field with a comma, a double quote, a CR or a LF is quoted, its quotes doubled. Lists are joined
 * with {@code ", "}; a null is an empty field.
 */
public final class PriorityCsv {

    static final List<String> HEADER = List.of("rank", "finding", "rule", "severity", "fixable", "fix", "images", "teams",
            "environments", "workloads", "blocking", "unblocks");

    private PriorityCsv() {
    }

    public static String render(List<Priority> priorities) {
        StringBuilder csv = new StringBuilder();
        line(csv, HEADER);
        for (Priority p : priorities) {
            line(csv, List.of(String.valueOf(p.rank()), p.finding(), p.rule(), p.severity() == null ? "" : p.severity(),
                    String.valueOf(p.fixable()), p.fix(), String.join(", ", p.images()), String.join(", ", p.teams()),
                    String.join(", ", p.environments()), String.valueOf(p.workloads()), String.valueOf(p.blocking()),
                    p.unblocks()));
        }
        return csv.toString();
    }

    private static void line(StringBuilder csv, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                csv.append(',');
            }
            csv.append(field(fields.get(i)));
        }
        csv.append("\r\n");
    }

    static String field(String value) {
        if (value == null) {
            return "";
        }
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\r') < 0 && value.indexOf('\n') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
