package dev.drawbridge.cli;

import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.insight.EnvironmentState;
import dev.drawbridge.insight.Insight;
import dev.drawbridge.insight.InsightEngine;
import dev.drawbridge.insight.InsightJson;
import dev.drawbridge.insight.InsightText;
import dev.drawbridge.insight.PriorityCsv;
import dev.drawbridge.reconcile.Clusters;
import dev.drawbridge.reconcile.Engines;
import dev.drawbridge.reconcile.ReportRun;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * {@code drawbridge report}: the priorities and the team scoreboard across every environment (docs/priorities.md),
 * from the environments' branch heads and the registry; evidence and history from the clusters where reachable.
 */
final class ReportCommand extends Command {

    static final String HELP = """
            Usage: drawbridge report --config FILE [--format text|markdown|csv|json]

            Runs source, render, inspect and verify for every environment (as check does) and prints the
            priorities (one row per finding, the fix that unblocks the most first) and the team scoreboard.
            Applies nothing and reports nothing. No cluster is needed: promotion evidence and the decision
            history are read from the clusters where they can be reached, else skipped (stderr says so).

              --config FILE      configuration file (YAML)
              --format FORMAT    text (default), markdown (both tables), csv (the priorities, RFC 4180,
                                 for spreadsheets) or json ({"priorities": [...], "teams": [...]})
              --help             this help

            Exit codes: 0 the report was printed (environments that could not be checked are in it as
            gate.error), 2 an error (bad configuration, bad option).
            """;

    private static final Set<String> VALUED = Set.of("--config", "--format");
    private static final Set<String> FLAGS = Set.of("--help");
    private static final List<String> FORMATS = List.of("text", "markdown", "csv", "json");

    ReportCommand(PrintWriter out, PrintWriter err) {
        super(out, err, new Options(VALUED, FLAGS, HELP));
    }

    @Override
    int run(Arguments a) throws Exception {
        Path config = Path.of(a.required("--config"));
        String format = format(a, FORMATS);
        DrawbridgeConfig cfg = config(config);
        Path work = Files.createTempDirectory("drawbridge-report-");
        Clock clock = Clock.systemUTC();
        try (Clusters clusters = new Clusters()) {
            List<EnvironmentState> states = new ReportRun(Engines.stages(cfg, clock), work, clusters)
                    .states(cfg, note -> err.println("report: " + note));
            states.forEach(s -> Problems.of(s.report().result()).forEach(p -> err.println(s.name() + ": " + p)));
            Insight insight = new InsightEngine(clock).compute(states);
            out.print(switch (format) {
                case "json" -> InsightJson.pretty(InsightJson.report(insight)) + "\n";
                case "csv" -> PriorityCsv.render(insight.priorities());
                case "markdown" -> InsightText.markdown(insight);
                default -> InsightText.render(insight, 0);
            });
            out.flush();
            return Main.OK;
        } finally {
            WorkDirs.deleteQuietly(work);
        }
    }
}
