package dev.drawbridge.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The command line of DESIGN.md §2. Starts no Spring context except for {@code serve}: {@code check}
 * and {@code reconcile --once} run the plain-Java engine directly.
 */
@Command(name = "drawbridge", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "GitOps reconciler and deployment gate: only what passed the gate reaches the cluster.",
        subcommands = {CheckCommand.class})
public final class Main implements Runnable {

    /** Exit codes of DESIGN.md §2. */
    public static final int OK = 0;
    public static final int BLOCKED = 1;
    public static final int ERROR = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs a command with the given output streams (tests capture them). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("drawbridge: " + e.getMessage());
            e.getCommandLine().getErr().println("run 'drawbridge " + e.getCommandLine().getCommandName()
                    + " --help' for usage");
            return ERROR;
        });
        cli.setExecutionExceptionHandler((e, c, p) -> {
            c.getErr().println("drawbridge: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return ERROR;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[]{"drawbridge " + (v == null ? "dev" : v)};
        }
    }
}
