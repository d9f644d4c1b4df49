package dev.drawbridge.cli;

import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.gate.Decision;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.reconcile.CheckOptions;
import dev.drawbridge.reconcile.Engines;
import dev.drawbridge.reconcile.GateRun;
import dev.drawbridge.report.CheckJson;
import dev.drawbridge.report.SarifReport;
import dev.drawbridge.report.TextReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code drawbridge check}: source, render, inspect and verify one environment; applies and reports nothing. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Runs source, render, inspect and verify for one environment and prints the verdicts.",
                "Applies nothing and reports nothing.",
                "Exit codes: 0 pass, 1 blocked by the gate, 2 error (could not check)."})
final class CheckCommand implements Callable<Integer> {

    enum Format { text, json, sarif }

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "configuration file (YAML)")
    Path config;

    @Option(names = "--env", required = true, paramLabel = "NAME", description = "environment to check")
    String env;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "render this local directory (e.g. an overlay in a CI job) instead of the environment's path at its branch head; the policy still comes from the policy source")
    Path dir;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json or sarif (default: ${DEFAULT-VALUE})")
    Format format;

    @Option(names = "--skip-promotion", description = "do not evaluate promotion.evidence; the output says it was skipped")
    boolean skipPromotion;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<DrawbridgeConfig> loaded = ConfigFiles.load(config, err);
        if (loaded.isEmpty()) {
            return Main.ERROR;
        }
        DrawbridgeConfig cfg = loaded.get();
        Optional<EnvironmentConfig> environment = cfg.environment(env);
        if (environment.isEmpty()) {
            err.println(config + ": environment \"" + env + "\" is not configured (configured: "
                    + String.join(", ", cfg.environmentNames()) + ")");
            return Main.ERROR;
        }
        if (dir != null && !Files.isDirectory(dir)) {
            err.println(dir + ": --dir is not a directory");
            return Main.ERROR;
        }
        Path work = Files.createTempDirectory("drawbridge-check-");
        try {
            GateRun run = new GateRun(Engines.stages(cfg, Clock.systemUTC()), work);
            GateReport report = run.check(cfg, environment.get(), new CheckOptions(dir, skipPromotion));
            out.print(switch (format) {
                case text -> TextReport.render(report);
                case json -> CheckJson.render(report) + "\n";
                case sarif -> SarifReport.render(report) + "\n";
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
