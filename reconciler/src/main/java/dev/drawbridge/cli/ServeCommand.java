package dev.drawbridge.cli;

import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.web.DrawbridgeServer;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code drawbridge serve}: validates the configuration like every command, then hands it to the web
 * layer, which runs until stopped. No Spring type appears here: the application lives in {@code web}.
 */
final class ServeCommand extends Command {

    static final String HELP = """
            Usage: drawbridge serve --config FILE [--port N]

            Runs the reconciler: every environment is reconciled at start and then on its interval (one
            reconcile per environment at a time, failures retried with backoff), and serves over HTTP
              /                                        the dashboard
              /environments/ENV/decisions/SHA          the decision page of a revision (commit status target_url)
              /api/environments[/ENV]                  environments as JSON
              POST /api/environments/ENV/reconcile     reconcile an environment now (202)
              /actuator/health, /actuator/prometheus   health (with every environment) and metrics

              --config FILE   configuration file (YAML)
              --port N        HTTP port (default 8080; 0 picks a free one)
              --help          this help

            Runs until stopped (SIGTERM or Ctrl-C); a running apply is allowed to finish. Exit code 2 when
            the configuration is invalid or the server cannot start.
            """;

    static final int DEFAULT_PORT = 8080;

    private static final Set<String> VALUED = Set.of("--config", "--port");
    private static final Set<String> FLAGS = Set.of("--help");

    ServeCommand(PrintWriter out, PrintWriter err) {
        super(out, err);
    }

    @Override
    int run(List<String> args) throws Exception {
        Optional<Arguments> parsed = parse(args, VALUED, FLAGS, HELP);
        if (parsed.isEmpty()) {
            return Main.OK;
        }
        Arguments a = parsed.get();
        Path config = Path.of(a.required("--config"));
        int port = port(a.value("--port"));
        Optional<DrawbridgeConfig> loaded = ConfigFiles.load(config, err);
        if (loaded.isEmpty()) {
            return Main.ERROR;
        }
        out.flush();
        DrawbridgeServer.run(loaded.get(), config, port);
        return Main.OK;
    }

    private static int port(Optional<String> value) throws Arguments.UsageException {
        if (value.isEmpty()) {
            return DEFAULT_PORT;
        }
        try {
            int port = Integer.parseInt(value.get());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new Arguments.UsageException("--port must be a number from 0 to 65535, got '" + value.get() + "'");
    }
}
