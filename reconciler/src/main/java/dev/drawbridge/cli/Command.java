package dev.drawbridge.cli;

import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.yaml.Property;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What every command shares: its output streams, its options and its {@code --help}, and the preamble of reading
 * the configuration (each problem printed, then exit code 2).
 */
abstract class Command {

    /** The command stops with {@code exitCode}; why was printed already. */
    static final class Stopped extends Exception {
        private final int exitCode;

        Stopped(int exitCode) {
            super("stopped with exit code " + exitCode, null, false, false);
            this.exitCode = exitCode;
        }

        int exitCode() {
            return exitCode;
        }
    }

    /** The options a command takes and its help. */
    record Options(Set<String> valued, Set<String> flags, List<String> passedOnPrefixes, String help) {
        Options(Set<String> valued, Set<String> flags, String help) {
            this(valued, flags, List.of(), help);
        }
    }

    protected final PrintWriter out;
    protected final PrintWriter err;
    private final Options options;

    Command(PrintWriter out, PrintWriter err, Options options) {
        this.out = out;
        this.err = err;
        this.options = options;
    }

    /** Parses {@code args}; prints the help for {@code --help}, else runs the command. */
    final int run(List<String> args) throws Exception {
        Arguments a = Arguments.parse(args, options.valued(), options.flags(), options.passedOnPrefixes());
        if (a.flag("--help")) {
            out.print(options.help());
            return Main.OK;
        }
        try {
            return run(a);
        } catch (Stopped stopped) {
            return stopped.exitCode();
        }
    }

    /** Runs the command with its parsed options (and options with a passed-on prefix, {@link Arguments#passedOn()}). */
    abstract int run(Arguments a) throws Exception;

    /** The configuration file, validated; each problem printed as one {@code FILE:LINE: ...} line, then exit code 2. */
    DrawbridgeConfig config(Path file) throws Stopped {
        return config(file, List.of());
    }

    /** The file (may be null) with {@code properties} set over it, validated likewise ({@link ConfigFiles#load}). */
    DrawbridgeConfig config(Path file, List<Property> properties) throws Stopped {
        return ConfigFiles.load(file, properties, err).orElseThrow(() -> new Stopped(Main.ERROR));
    }

    /** The environment {@code name} of {@code config}; when there is none, which ones are configured, then exit code 2. */
    EnvironmentConfig environment(DrawbridgeConfig config, String name, Path file) throws Stopped {
        return ConfigFiles.environment(config, name, file, err).orElseThrow(() -> new Stopped(Main.ERROR));
    }

    /** The value of {@code --format}: one of {@code formats}, the first when not given. */
    static String format(Arguments a, List<String> formats) throws Arguments.UsageException {
        String format = a.value("--format").orElse(formats.get(0));
        if (!formats.contains(format)) {
            throw new Arguments.UsageException("invalid value for option '--format': '" + format + "' (expected "
                    + String.join(", ", formats.subList(0, formats.size() - 1)) + " or " + formats.get(formats.size() - 1) + ")");
        }
        return format;
    }
}
