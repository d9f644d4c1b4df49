package dev.drawbridge.cli;

import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.spring.SpringProperties;
import dev.drawbridge.web.DrawbridgeServer;
import dev.drawbridge.yaml.Property;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code drawbridge serve}: validates the configuration like every command, then hands it to the web
 * layer, which runs until stopped. The configuration is the file of {@code --config}, the same keys as
 * Spring properties {@code drawbridge.*} ({@link SpringProperties}), or both (the properties set over the
 * file's keys); it is validated once, before any server starts. No Spring type appears here: the
 * properties arrive as plain values and the application lives in {@code web}.
 */
final class ServeCommand extends Command {

    static final String HELP = """
            Usage: drawbridge serve [--config FILE] [--port N] [--drawbridge.KEY=VALUE]... [--spring.KEY=VALUE]...
                                    [--state-dir DIR]

            Runs the reconciler: every environment is reconciled at start and then on its interval (one
            reconcile per environment at a time, failures retried with backoff), and serves over HTTP
              /                                        the dashboard
              /environments/ENV/decisions/SHA          the decision page of a revision (commit status target_url)
              /api/environments[/ENV]                  environments as JSON
              POST /api/environments/ENV/reconcile     reconcile an environment now (202)
              /actuator/health, /actuator/prometheus   health (with every environment) and metrics

              --config FILE            configuration file (YAML); optional when drawbridge.* properties
                                       give the whole configuration
              --port N                 HTTP port (default 8080; 0 picks a free one)
              --state-dir DIR          where what must outlive the process is kept: commit statuses, comments
                                       and notifications not delivered yet, resumed at the next start
                                       (default: none; they are retried only while the process runs)
              --drawbridge.KEY=VALUE   a key of the configuration file as a Spring property, e.g.
                                       --drawbridge.git.url=https://git.example.com/platform/deploy.git
                                       --drawbridge.environments[0].promote-from=acceptance
              --spring.KEY=VALUE       a Spring Boot setting, e.g. --spring.config.location=FILE
              --help                   this help

            The configuration's keys work as Spring properties drawbridge.* from, highest precedence first:
            these arguments, SPRING_APPLICATION_JSON, Java system properties (-Ddrawbridge.git.url=...),
            environment variables (DRAWBRIDGE_GIT_URL, DRAWBRIDGE_ENVIRONMENTS_0_PROMOTEFROM: upper case,
            '.' as '_', dashes left out, list indices as _0_), and application.yaml or application.properties
            (in the working directory or its config/, or at --spring.config.location). They override and add
            to the keys of --config; list items merge by index. All of it is validated like the file before
            the server starts.

            Runs until stopped (SIGTERM or Ctrl-C); a running apply is allowed to finish. Exit code 2 when
            the configuration is invalid (an unknown key, a missing required key or a bad value, each named
            with its file and line or its property and source) or the server cannot start.
            """;

    static final int DEFAULT_PORT = 8080;

    private static final Set<String> VALUED = Set.of("--config", "--port", "--state-dir");
    private static final Set<String> FLAGS = Set.of("--help");
    /** Spring properties on the command line: the configuration's keys, and Spring Boot's own settings. */
    private static final List<String> SPRING_OPTIONS = List.of("--drawbridge.", "--spring.");

    ServeCommand(PrintWriter out, PrintWriter err) {
        super(out, err, new Options(VALUED, FLAGS, SPRING_OPTIONS, HELP));
    }

    @Override
    int run(Arguments a) throws Exception {
        Path config = a.value("--config").map(Path::of).orElse(null);
        int port = port(a.value("--port"));
        List<String> springArgs = a.passedOn();
        List<Property> properties;
        try {
            properties = SpringProperties.read(springArgs);
        } catch (SpringProperties.UnreadableException e) {
            err.println("drawbridge serve: cannot read the Spring properties: " + e.getMessage());
            return Main.ERROR;
        }
        if (config == null && properties.isEmpty()) {
            throw new Arguments.UsageException("missing required option '--config' (or the configuration as drawbridge.* properties)");
        }
        DrawbridgeConfig loaded = config(config, properties);
        UnverifiedRegistries.print(loaded, err);
        out.flush();
        List<String> serverArgs = new java.util.ArrayList<>(springArgs);
        a.value("--state-dir").ifPresent(dir -> serverArgs.add("--" + DrawbridgeServer.STATE_DIR + "=" + Path.of(dir).toAbsolutePath()));
        DrawbridgeServer.run(loaded, port, serverArgs);
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
