package dev.drawbridge.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;

/**
 * The command line (README, "The command line"). Starts no Spring context except for {@code serve}: {@code check}
 * and {@code reconcile --once} run the plain-Java engine directly.
 */
public final class Main {

    /** Exit codes (README, "The command line"). */
    public static final int OK = 0;
    public static final int BLOCKED = 1;
    public static final int ERROR = 2;

    static final String USAGE = """
            Usage: drawbridge <command> [options]

            GitOps reconciler and deployment gate: only what passed the gate reaches the cluster.

            Commands:
              check      source, render, inspect and verify one environment; print the verdicts
                         (exit 0 pass, 1 blocked, 2 error)
              reconcile  reconcile environments once: only what passed the gate is applied
                         (exit 0 applied or unchanged, 1 blocked, 2 error)
              report     the priorities (the fix that unblocks the most first) and the team scoreboard
                         across every environment, as text, markdown, csv or json (exit 0, 2 error)
              promote    bring the promotion request of one environment up to date once
                         (exit 0 done or nothing to do, 1 blocked by its gate, 2 error)
              serve      run the reconciler on every environment's interval with the dashboard, the
                         decision pages, the REST API, /actuator/health and /actuator/prometheus

            Run 'drawbridge <command> --help' for the options of a command.
            Options: --help, --version
            """;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs a command with the given output streams (tests capture them). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        try {
            if (args.length == 0) {
                err.print(USAGE);
                err.println("drawbridge: a command is required");
                return ERROR;
            }
            List<String> rest = Arrays.asList(args).subList(1, args.length);
            return switch (args[0]) {
                case "--help", "-h", "help" -> {
                    out.print(USAGE);
                    yield OK;
                }
                case "--version", "-V" -> {
                    String v = Main.class.getPackage().getImplementationVersion();
                    out.println("drawbridge " + (v == null ? "dev" : v));
                    yield OK;
                }
                case "check" -> new CheckCommand(out, err).run(rest);
                case "reconcile" -> new ReconcileCommand(out, err).run(rest);
                case "serve" -> new ServeCommand(out, err).run(rest);
                case "report" -> new ReportCommand(out, err).run(rest);
                case "promote" -> new PromoteCommand(out, err).run(rest);
                default -> {
                    err.println("drawbridge: unknown command '" + args[0] + "'");
                    err.print(USAGE);
                    yield ERROR;
                }
            };
        } catch (Arguments.UsageException e) {
            err.println("drawbridge " + args[0] + ": " + e.getMessage());
            err.println("run 'drawbridge " + args[0] + " --help' for usage");
            return ERROR;
        } catch (Exception e) {
            err.println("drawbridge: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return ERROR;
        } finally {
            out.flush();
            err.flush();
        }
    }
}
