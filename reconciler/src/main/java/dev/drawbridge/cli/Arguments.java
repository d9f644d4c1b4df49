package dev.drawbridge.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The options of one command: {@code --name value}, {@code --name=value} and flags. Hand-written rather
 * than a CLI library: {@code check} has to start fast, and these few options do not need one.
 */
final class Arguments {

    /** A usage error: printed with a hint to {@code --help}, exit code 2. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final List<String> passedOn = new ArrayList<>();

    private Arguments() {
    }

    /**
     * @param valued options that take a value
     * @param flags  options that take none
     */
    static Arguments parse(List<String> args, Set<String> valued, Set<String> flags) throws UsageException {
        return parse(args, valued, flags, List.of());
    }

    /**
     * @param valued   options that take a value
     * @param flags    options that take none
     * @param prefixes prefixes of options passed on as they are ({@link #passedOn()}), such as Spring
     *                 properties {@code --drawbridge.git.url=URL}; they take their value after {@code =}
     */
    static Arguments parse(List<String> args, Set<String> valued, Set<String> flags, List<String> prefixes)
            throws UsageException {
        Arguments parsed = new Arguments();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (prefixes.stream().anyMatch(name::startsWith)) {
                if (value == null) {
                    throw new UsageException("option '" + name + "' takes its value after '=': " + name + "=VALUE");
                }
                parsed.passedOn.add(arg);
            } else if (flags.contains(name)) {
                if (value != null) {
                    throw new UsageException("option '" + name + "' takes no value");
                }
                parsed.values.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                        throw new UsageException("missing value for option '" + name + "'");
                    }
                    value = args.get(++i);
                }
                parsed.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                throw new UsageException("unknown option '" + name + "'");
            }
        }
        return parsed;
    }

    /** The options given with one of the prefixes, as written, in order. */
    List<String> passedOn() {
        return List.copyOf(passedOn);
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    Optional<String> value(String name) throws UsageException {
        List<String> all = values.getOrDefault(name, List.of());
        if (all.size() > 1) {
            throw new UsageException("option '" + name + "' is given more than once");
        }
        return all.stream().findFirst();
    }

    String required(String name) throws UsageException {
        return value(name).orElseThrow(() -> new UsageException("missing required option '" + name + "'"));
    }

    List<String> all(String name) {
        return List.copyOf(values.getOrDefault(name, List.of()));
    }
}
