package dev.drawbridge.yaml;

import java.time.DateTimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads the keys of one YAML mapping as typed values, reporting every problem (wrong type, bad value,
 * missing required key) to a shared {@link Problems} with the key's path and line instead of stopping at
 * the first. A read that fails returns the default (or null), so a validator reads on and reports the
 * rest; {@link #finish()} then reports every key nobody asked for, with a "did you mean" hint.
 *
 * <p>A key whose value is YAML null ({@code key:} with nothing, {@code ~}) counts as absent. Parsers
 * given to {@link #value} report a bad value by throwing {@link IllegalArgumentException} (or a
 * {@link DateTimeException}) whose message names the input.
 *
 * <p>Nodes set by properties ({@link PropertyOrigin}) read the same, with three differences: their keys
 * match relaxed (case, {@code -} and {@code _} do not count), a single value where a list is expected is
 * a comma-separated list (as Spring converts it), and a problem about them names the property.
 */
public final class MappingReader {
    private final Problems problems;
    private final String path;
    private final YamlNode.Mapping mapping;
    private final int line;
    private final PropertyOrigin origin;
    private final Set<String> known = new LinkedHashSet<>();

    private MappingReader(Problems problems, String path, YamlNode.Mapping mapping, int line, PropertyOrigin origin) {
        this.problems = problems;
        this.path = path;
        this.mapping = mapping;
        this.line = line;
        this.origin = origin;
    }

    /** A reader over the top of a document, which must be a mapping. */
    public static MappingReader root(YamlNode root, Problems problems) {
        if (root instanceof YamlNode.Mapping m) {
            return new MappingReader(problems, "", m, m.line(), m.origin());
        }
        problems.add(root, "", "expected a mapping of keys at the top of the file, got " + root.describe());
        return new MappingReader(problems, "", null, root.line(), root.origin());
    }

    public Problems problems() {
        return problems;
    }

    /** Whether the mapping exists in the file (an absent one reads as all defaults). */
    public boolean present() {
        return mapping != null;
    }

    public String path() {
        return path;
    }

    public String path(String key) {
        return Paths.key(path, key);
    }

    /** Line of the mapping, or of where it would be when absent. */
    public int line() {
        return line;
    }

    /** Line of the key's value, or of the mapping when the key is absent. */
    public int line(String key) {
        return node(key).map(YamlNode::line).orElse(line);
    }

    /**
     * Where the key's value is, for a message such as "first at ...": {@code line 12}, or the property
     * that set it ({@code environment variable DRAWBRIDGE_ENVIRONMENTS_0_NAME}).
     */
    public String location(String key) {
        PropertyOrigin from = node(key).map(YamlNode::origin).orElse(origin);
        return from == null ? "line " + line(key) : from.describe();
    }

    /** Whether the key's value (or the mapping, when absent) comes from the document rather than a property. */
    public boolean fromDocument(String key) {
        return node(key).map(YamlNode::origin).orElse(origin) == null;
    }

    /** The keys present in the mapping, in document order (for free-form mappings such as labels). */
    public List<String> keys() {
        return mapping == null ? List.of() : mapping.entries().stream().map(YamlNode.Entry::key).toList();
    }

    /** Whether the key is present with a non-null value; marks it as known. */
    public boolean has(String key) {
        return node(key).isPresent();
    }

    /** Reports a problem about a key (at its value's line, or the mapping's when absent). */
    public void problem(String key, String message) {
        Optional<YamlNode> node = node(key);
        if (node.isPresent()) {
            problems.add(node.get(), path(key), message);
        } else {
            problems.add(origin, line, path(key), message);
        }
    }

    /** Reports a problem about one item of a list ({@code key[index]}), at the list. */
    public void problem(String key, int index, String message) {
        Optional<YamlNode> node = node(key);
        problems.add(node.map(YamlNode::origin).orElse(origin), node.map(YamlNode::line).orElse(line),
                Paths.index(path(key), index), message);
    }

    /** Reports a problem about the mapping itself. */
    public void problem(String message) {
        problems.add(origin, line, path, message);
    }

    // --- scalars --------------------------------------------------------------------------------------

    /** An optional string: null when absent. */
    public String string(String key) {
        return scalar(key).orElse(null);
    }

    public String string(String key, String defaultValue) {
        return scalar(key).orElse(defaultValue);
    }

    /** A required, non-blank string: reports and returns null when missing. */
    public String requiredString(String key) {
        if (!has(key)) {
            missing(key);
            return null;
        }
        String value = string(key);
        if (value != null && value.isBlank()) {
            problem(key, "must not be empty");
            return null;
        }
        return value;
    }

    /** {@code true} or {@code false}, exactly. */
    public boolean bool(String key, boolean defaultValue) {
        return value(key, text -> switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false, got \"" + text + "\"");
        }, defaultValue);
    }

    /** A whole number within {@code [min, max]}. */
    public int integer(String key, int defaultValue, int min, int max) {
        return value(key, text -> {
            int n;
            try {
                n = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a whole number, got \"" + text + "\"");
            }
            if (n < min || n > max) {
                throw new IllegalArgumentException("expected a number from " + min + " to " + max + ", got " + n);
            }
            return n;
        }, defaultValue);
    }

    /** A positive duration ({@link Durations}); {@code defaultValue} may be null for "not set". */
    public Duration duration(String key, Duration defaultValue) {
        return value(key, MappingReader::positiveDuration, defaultValue);
    }

    /** A size in bytes ({@link Sizes}). */
    public long size(String key, long defaultValue) {
        return value(key, Sizes::parse, defaultValue);
    }

    /** One of the given words, exactly; {@code defaultValue} may be null. */
    public String oneOf(String key, List<String> allowed, String defaultValue) {
        return value(key, text -> {
            if (!allowed.contains(text)) {
                throw new IllegalArgumentException("expected one of " + String.join(", ", allowed) + ", got \""
                        + text + "\"" + Suggestions.hint(text, allowed));
            }
            return text;
        }, defaultValue);
    }

    /** A value parsed from the key's text; a bad value is reported and gives {@code defaultValue}. */
    public <T> T value(String key, Function<String, T> parser, T defaultValue) {
        Optional<YamlNode> node = node(key);
        if (node.isEmpty()) {
            return defaultValue;
        }
        if (!(node.get() instanceof YamlNode.Scalar scalar)) {
            problems.add(node.get(), path(key), "expected a single value, got " + node.get().describe());
            return defaultValue;
        }
        T parsed = parse(scalar, path(key), parser);
        return parsed == null ? defaultValue : parsed;
    }

    /** A required value parsed from the key's text; null when missing or bad (and reported). */
    public <T> T requiredValue(String key, Function<String, T> parser) {
        if (!has(key)) {
            missing(key);
            return null;
        }
        return value(key, parser, null);
    }

    // --- collections ----------------------------------------------------------------------------------

    /** A nested mapping; an absent one reads as all defaults ({@link #present()} is false). */
    public MappingReader mapping(String key) {
        Optional<YamlNode> node = node(key);
        int keyLine = node.map(YamlNode::line).orElse(line);
        PropertyOrigin keyOrigin = node.map(YamlNode::origin).orElse(origin);
        if (node.isPresent() && !(node.get() instanceof YamlNode.Mapping)) {
            problems.add(node.get(), path(key), "expected a mapping of keys, got " + node.get().describe());
        }
        YamlNode.Mapping nested = node.filter(YamlNode.Mapping.class::isInstance).map(YamlNode.Mapping.class::cast).orElse(null);
        return new MappingReader(problems, path(key), nested, keyLine, keyOrigin);
    }

    /** A list of mappings; empty when absent or not a list (reported). */
    public List<MappingReader> mappings(String key) {
        List<MappingReader> readers = new ArrayList<>();
        Optional<YamlNode.Sequence> sequence = sequence(key);
        if (sequence.isEmpty()) {
            return readers;
        }
        List<YamlNode> items = sequence.get().items();
        for (int i = 0; i < items.size(); i++) {
            YamlNode item = items.get(i);
            String itemPath = Paths.index(path(key), i);
            if (item instanceof YamlNode.Mapping m) {
                readers.add(new MappingReader(problems, itemPath, m, m.line(), m.origin()));
            } else {
                problems.add(item, itemPath, "expected a mapping of keys, got " + item.describe());
            }
        }
        return readers;
    }

    /** A list of strings; {@code defaultValue} when absent (may be null). */
    public List<String> strings(String key, List<String> defaultValue) {
        return list(key, Function.identity(), defaultValue);
    }

    /**
     * A list of values parsed from text; each bad item is reported with its index ({@code key[2]}) and
     * left out. {@code defaultValue} when absent (may be null); a single value where a list is
     * expected is an error.
     */
    public <T> List<T> list(String key, Function<String, T> parser, List<T> defaultValue) {
        Optional<YamlNode.Sequence> sequence = sequence(key);
        if (sequence.isEmpty()) {
            return has(key) ? List.of() : defaultValue;
        }
        List<T> values = new ArrayList<>();
        List<YamlNode> items = sequence.get().items();
        for (int i = 0; i < items.size(); i++) {
            YamlNode item = items.get(i);
            String itemPath = Paths.index(path(key), i);
            if (item instanceof YamlNode.Scalar scalar && !scalar.isNull()) {
                T parsed = parse(scalar, itemPath, parser);
                if (parsed != null) {
                    values.add(parsed);
                }
            } else {
                problems.add(item, itemPath, "expected a single value, got " + item.describe());
            }
        }
        return Collections.unmodifiableList(values);
    }

    /** Reports every key of the mapping that no read asked for. Call once, after all reads. */
    public void finish() {
        if (mapping == null) {
            return;
        }
        for (YamlNode.Entry entry : mapping.entries()) {
            if (entry.key().equals("<<")) {
                problems.add(entry.origin(), entry.keyLine(), path(entry.key()), "merge keys (<<) are not supported; write the keys out");
            } else if (known.stream().noneMatch(entry::matches)) {
                problems.add(entry.origin(), entry.keyLine(), path(entry.key()), "unknown key" + hint(entry));
            }
        }
    }

    private String hint(YamlNode.Entry entry) {
        Optional<String> closest = Suggestions.closest(entry.key(), known);
        if (closest.isEmpty() && entry.origin() != null && entry.value() instanceof YamlNode.Mapping) {
            // DRAWBRIDGE_GIT_PASSWORD_FILE reads as git.password.file: environment variables drop the dashes
            String relaxed = YamlNode.Entry.relaxed(entry.key());
            Optional<String> longer = known.stream().filter(k -> k.contains("-") && YamlNode.Entry.relaxed(k).startsWith(relaxed)).findFirst();
            if (longer.isPresent()) {
                return " (did you mean \"" + longer.get() + "\"? In an environment variable, leave out its dashes: "
                        + YamlNode.Entry.relaxed(longer.get()).toUpperCase(Locale.ROOT) + ")";
            }
        }
        return closest.map(c -> " (did you mean \"" + c + "\"?)")
                .orElseGet(() -> known.isEmpty() ? "" : " (expected one of: "
                        + known.stream().collect(Collectors.joining(", ")) + ")");
    }

    // --- internals ------------------------------------------------------------------------------------

    private Optional<YamlNode> node(String key) {
        known.add(key);
        if (mapping == null) {
            return Optional.empty();
        }
        return mapping.get(key).filter(n -> !(n instanceof YamlNode.Scalar s && s.isNull()));
    }

    private Optional<String> scalar(String key) {
        return Optional.ofNullable(value(key, Function.identity(), null));
    }

    private Optional<YamlNode.Sequence> sequence(String key) {
        Optional<YamlNode> node = node(key);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        if (node.get() instanceof YamlNode.Sequence s) {
            return Optional.of(s);
        }
        if (node.get() instanceof YamlNode.Scalar scalar && scalar.origin() != null) {
            // a property's single value where a list is expected: comma-separated, as Spring reads it
            List<YamlNode> items = new ArrayList<>();
            for (String item : scalar.text().split(",", -1)) {
                items.add(new YamlNode.Scalar(scalar.line(), item.trim(), true, scalar.origin()));
            }
            return Optional.of(new YamlNode.Sequence(scalar.line(), items, scalar.origin()));
        }
        problems.add(node.get(), path(key), "expected a list, got " + node.get().describe());
        return Optional.empty();
    }

    private void missing(String key) {
        problems.add(origin, line, path(key), "is required");
    }

    private <T> T parse(YamlNode.Scalar scalar, String at, Function<String, T> parser) {
        try {
            return parser.apply(scalar.text());
        } catch (IllegalArgumentException | DateTimeException e) {
            String message = String.valueOf(e.getMessage());
            if (scalar.origin() != null && scalar.origin().sensitive() && !scalar.text().isEmpty()) {
                message = message.replace(scalar.text(), "(value not shown)");
            }
            problems.add(scalar, at, message);
            return null;
        }
    }

    private static Duration positiveDuration(String text) {
        Duration d = Durations.parse(text);
        if (d.isZero()) {
            throw new IllegalArgumentException("invalid duration \"" + text + "\": must be greater than 0");
        }
        return d;
    }
}
