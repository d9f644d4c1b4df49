package dev.drawbridge.web;

import dev.drawbridge.apply.ChangeSetEntry;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.gate.GateResult;
import dev.drawbridge.gate.ImageVerdict;
import dev.drawbridge.gate.Violation;
import dev.drawbridge.reconcile.EnvironmentStatus;
import dev.drawbridge.reconcile.Reason;
import dev.drawbridge.reconcile.ReconcileOutcome;
import dev.drawbridge.report.StatusDescription;

import java.util.List;

/**
 * The server-rendered pages (DESIGN.md §7): plain HTML and CSS, no JavaScript, every value escaped. The
 * decision page is the target_url of every commit status.
 */
final class Pages {
    private Pages() {
    }

    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:2rem;max-width:72rem;color:#1b1f24}
            table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}
            th{background:#f6f8fa}code,.mono{font-family:ui-monospace,monospace;font-size:.9em}
            .PASS,.applied{color:#1a7f37;font-weight:bold}.WARN{color:#9a6700;font-weight:bold}
            .BLOCK,.blocked{color:#cf222e;font-weight:bold}.ERROR,.failed{color:#8250df;font-weight:bold}
            .pending{color:#57606a}section.image{border-left:4px solid #d0d7de;padding-left:1rem;margin:1rem 0}
            """;

    static String dashboard(List<EnvironmentConfig> environments, List<EnvironmentStatus> statuses) {
        Html h = head("Drawbridge");
        h.raw("<h1>Drawbridge</h1><p>Only what passed the gate reaches the cluster. ")
                .link("/api/environments", "API").raw(" · ").link("/actuator/health", "health")
                .raw(" · ").link("/actuator/prometheus", "metrics").raw("</p>");
        h.raw("<table><tr><th>environment</th><th>branch</th><th>outcome</th><th>decision</th><th>revision</th>"
                + "<th>policy revision</th><th>what happened</th><th>finished</th><th>failures in a row</th><th>next run</th></tr>");
        for (int i = 0; i < environments.size(); i++) {
            EnvironmentConfig env = environments.get(i);
            EnvironmentStatus s = statuses.get(i);
            ReconcileOutcome last = s.last();
            String kind = Outcomes.kind(last);
            h.raw("<tr>").element("td", null, env.name()).element("td", "mono", env.branch());
            h.raw("<td>").element("span", kind, kind + reasonSuffix(last)).raw("</td>");
            if (last == null) {
                h.raw("<td></td><td></td><td></td>");
            } else {
                String decision = last.report().result().decision().name();
                h.raw("<td>").element("span", decision, decision).raw("</td>");
                String revision = last.report().revision();
                h.raw("<td class=\"mono\">");
                if (revision != null) {
                    h.link(Outcomes.decisionPath(env.name(), revision), shortSha(revision));
                }
                h.raw("</td>").element("td", "mono", shortSha(last.report().policyRevision()));
            }
            h.element("td", null, Outcomes.message(last))
                    .element("td", null, s.finishedAt())
                    .element("td", null, s.consecutiveFailures())
                    .element("td", null, s.nextRun())
                    .raw("</tr>");
        }
        return h.raw("</table></body></html>").toString();
    }

    static String decision(EnvironmentConfig env, DecisionHistory.Entry entry, List<DecisionHistory.Entry> others) {
        GateReport report = entry.outcome().report();
        GateResult result = report.result();
        String decision = result.decision().name();
        Html h = head("Drawbridge · " + env.name() + " @ " + shortSha(entry.revision()) + " · " + decision);
        h.raw("<p>").link("/", "Drawbridge").raw(" › ").text(env.name()).raw("</p>");
        h.raw("<h1>").text(env.name()).raw(" @ <span class=\"mono\">").text(shortSha(entry.revision()))
                .raw("</span> — ").element("span", decision, decision).raw("</h1>");
        h.element("p", null, StatusDescription.of(result));

        String kind = Outcomes.kind(entry.outcome());
        h.raw("<table>")
                .row("environment", env.name())
                .row("branch", env.branch())
                .row("path", report.path())
                .row("revision", report.revision())
                .row("policy revision", report.policyRevision() == null ? "(the policy could not be loaded)" : report.policyRevision())
                .raw("<tr><th>decision</th><td>").element("span", decision, decision).raw("</td></tr>")
                .raw("<tr><th>outcome</th><td>").element("span", kind, kind + reasonSuffix(entry.outcome())).raw("</td></tr>")
                .row("what happened", Outcomes.message(entry.outcome()))
                .row("finished at", entry.finishedAt())
                .row("took", entry.took().toMillis() + " ms")
                .raw("</table>");
        changes(h, entry.outcome());

        h.element("h2", null, "Images (" + result.images().size() + ")");
        if (result.images().isEmpty()) {
            h.element("p", null, "No image was verified.");
        }
        for (ImageVerdict image : result.images()) {
            image(h, image);
        }
        if (!result.manifestViolations().isEmpty()) {
            h.element("h2", null, "Manifest violations");
            violations(h, result.manifestViolations());
        }
        if (!result.errors().isEmpty()) {
            h.element("h2", null, "Errors (could not be checked)");
            list(h, result.errors());
        }
        if (!result.skipped().isEmpty()) {
            h.element("h2", null, "Rules not evaluated");
            list(h, result.skipped());
        }
        List<DecisionHistory.Entry> rest = others.stream().filter(o -> !o.revision().equals(entry.revision())).toList();
        if (!rest.isEmpty()) {
            h.element("h2", null, "Other revisions of " + env.name());
            h.raw("<ul>");
            for (DecisionHistory.Entry o : rest) {
                String d = o.outcome().report().result().decision().name();
                h.raw("<li>").link(Outcomes.decisionPath(env.name(), o.revision()), shortSha(o.revision()))
                        .raw(" ").element("span", d, d).raw(" ").text(o.finishedAt()).raw("</li>");
            }
            h.raw("</ul>");
        }
        return h.raw("</body></html>").toString();
    }

    static String notFound(String what) {
        return head("Drawbridge · not found").raw("<p>").link("/", "Drawbridge").raw("</p><h1>Not found</h1>")
                .element("p", null, what).raw("</body></html>").toString();
    }

    private static void image(Html h, ImageVerdict image) {
        String verdict = image.verdict().name();
        h.raw("<section class=\"image\"><h3><span class=\"mono\">").text(image.reference()).raw("</span> ")
                .element("span", verdict, verdict).raw("</h3><table>")
                .row("reference", image.reference())
                .row("normalized", image.image() == null ? null : image.image().normalized())
                .row("digest", image.digest() == null ? "(not resolved)" : image.digest().toString())
                .raw("<tr><th>verdict</th><td>").element("span", verdict, verdict).raw("</td></tr>")
                .row("workloads", String.join(", ", image.workloads()))
                .raw("</table>");
        if (!image.violations().isEmpty()) {
            h.element("h4", null, "Violations");
            violations(h, image.violations());
        }
        if (!image.accepted().isEmpty()) {
            h.element("h4", null, "Accepted by an exception");
            list(h, image.accepted());
        }
        h.raw("</section>");
    }

    private static void violations(Html h, List<Violation> violations) {
        h.raw("<table><tr><th>rule</th><th>problem</th><th>how to fix</th><th>id</th><th>severity</th>"
                + "<th>package</th><th>fixed in</th></tr>");
        for (Violation v : violations) {
            h.raw("<tr>").element("td", "mono", v.rule()).element("td", null, v.message()).element("td", null, v.fix())
                    .element("td", "mono", v.id()).element("td", null, v.severity()).element("td", "mono", v.pkg())
                    .element("td", "mono", v.fixedIn()).raw("</tr>");
        }
        h.raw("</table>");
    }

    private static void changes(Html h, ReconcileOutcome outcome) {
        List<ChangeSetEntry> written = List.of();
        if (outcome instanceof ReconcileOutcome.Applied a) {
            written = a.changes().entries().stream().filter(e -> e.action().isWrite() || e.drift()).toList();
        } else if (outcome instanceof ReconcileOutcome.Failed f) {
            written = f.changes().entries().stream().filter(e -> e.action().isWrite()).toList();
        }
        if (!written.isEmpty()) {
            h.element("h2", null, "Changes written to the cluster");
            list(h, written.stream().map(ChangeSetEntry::toString).toList());
        }
    }

    private static void list(Html h, List<String> items) {
        h.raw("<ul>");
        items.forEach(i -> h.element("li", null, i));
        h.raw("</ul>");
    }

    private static String reasonSuffix(ReconcileOutcome outcome) {
        Reason reason = Outcomes.reason(outcome);
        return reason == null ? "" : " (" + reason.name() + ")";
    }

    private static String shortSha(String sha) {
        return sha == null ? "" : sha.length() > 12 ? sha.substring(0, 12) : sha;
    }

    private static Html head(String title) {
        return new Html().raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
                .text(title).raw("</title><style>").raw(STYLE).raw("</style></head><body>");
    }
}
