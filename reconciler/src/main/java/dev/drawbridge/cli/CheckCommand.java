package dev.drawbridge.cli;

import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.gate.Decision;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.reconcile.CheckOptions;
import dev.drawbridge.reconcile.Clusters;
import dev.drawbridge.reconcile.Engines;
import dev.drawbridge.reconcile.ReconcilePipeline;
import dev.drawbridge.report.CheckJson;
import dev.drawbridge.report.SarifReport;
import dev.drawbridge.report.TextReport;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/** {@code drawbridge check}: source, render, inspect and verify one environment; applies and reports nothing. */
final class CheckCommand extends Command {

    static final String HELP = """
            Usage: drawbridge check --config FILE --env NAME [--dir DIR] [--format text|json|sarif] [--skip-promotion]

            Runs source, render, inspect and verify for one environment and prints the verdicts.
            Applies nothing and reports nothing.

              --config FILE      configuration file (YAML)
              --env NAME         environment to check
              --dir DIR          render this local directory (e.g. an overlay in a CI job) instead of the
                                 environment's path at its branch head; the policy still comes from the
                                 policy source
              --format FORMAT    text (default), json or sarif
              --skip-promotion   do not evaluate promotion.evidence; the output says it was skipped
              --help             this help

            Exit codes: 0 pass, 1 blocked by the gate, 2 error (could not check).
            """;

    private static final Set<String> VALUED = Set.of("--config", "--env", "--dir", "--format");
    private static final Set<String> FLAGS = Set.of("--skip-promotion", "--help");

    CheckCommand(PrintWriter out, PrintWriter err) {
        super(out, err, new Options(VALUED, FLAGS, HELP));
    }

    @Override
    int run(Arguments a) throws Exception {
        Path config = Path.of(a.required("--config"));
        String env = a.required("--env");
        Path dir = a.value("--dir").map(Path::of).orElse(null);
        String format = format(a, List.of("text", "json", "sarif"));
        boolean skipPromotion = a.flag("--skip-promotion");
        DrawbridgeConfig cfg = config(config);
        UnverifiedRegistries.print(cfg, err);
        EnvironmentConfig environment = environment(cfg, env, config);
        if (dir != null && !Files.isDirectory(dir)) {
            err.println(dir + ": --dir is not a directory");
            return Main.ERROR;
        }
        Path work = Files.createTempDirectory("drawbridge-check-");
        try (Clusters clusters = new Clusters()) {
            ReconcilePipeline checks = ReconcilePipeline.checks(Engines.stages(cfg, Clock.systemUTC()), work, clusters, null);
            GateReport report = checks.check(cfg, environment, new CheckOptions(dir, skipPromotion)).report();
            out.print(switch (format) {
                case "json" -> CheckJson.render(report) + "\n";
                case "sarif" -> SarifReport.render(report) + "\n";
                default -> TextReport.render(report);
            });
            out.flush();
            Problems.of(report.result()).forEach(err::println);
            return exitCode(report.result().decision());
        } finally {
            WorkDirs.deleteQuietly(work);
        }
    }

    static int exitCode(Decision decision) {
        return switch (decision) {
            case PASS -> Main.OK;
            case BLOCK -> Main.BLOCKED;
            case ERROR -> Main.ERROR;
        };
    }
}
