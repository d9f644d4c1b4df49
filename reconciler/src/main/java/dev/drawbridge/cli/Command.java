package dev.drawbridge.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What every command shares: its output streams, its options and its {@code --help}. */
abstract class Command {

    protected final PrintWriter out;
    protected final PrintWriter err;

    Command(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    abstract int run(List<String> args) throws Exception;

    /** The parsed options, or empty when {@code --help} was asked for (and the help printed). */
    Optional<Arguments> parse(List<String> args, Set<String> valued, Set<String> flags, String help)
            throws Arguments.UsageException {
        return parse(args, valued, flags, List.of(), help);
    }

    /** The parsed options, options with one of {@code prefixes} passed on as written ({@link Arguments#passedOn()}). */
    Optional<Arguments> parse(List<String> args, Set<String> valued, Set<String> flags, List<String> prefixes, String help)
            throws Arguments.UsageException {
        Arguments a = Arguments.parse(args, valued, flags, prefixes);
        if (a.flag("--help")) {
            out.print(help);
            return Optional.empty();
        }
        return Optional.of(a);
    }
}
