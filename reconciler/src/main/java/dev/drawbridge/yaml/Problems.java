package dev.drawbridge.yaml;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects the problems of one file, so a validator can report all of them at once. A problem about a
 * node that a property set ({@link PropertyOrigin}) names the property's source and full name instead.
 */
public final class Problems {
    private final String file;
    private final List<YamlProblem> problems = new ArrayList<>();

    public Problems(String file) {
        this.file = file;
    }

    public String file() {
        return file;
    }

    public void add(int line, String path, String message) {
        problems.add(new YamlProblem(file, line, path, message));
    }

    /** A problem at {@code line} of the file, or at the property {@code origin} when it is not null. */
    public void add(PropertyOrigin origin, int line, String path, String message) {
        if (origin == null) {
            add(line, path, message);
        } else {
            problems.add(new YamlProblem(origin.source(), origin.line(), origin.name(path), message));
        }
    }

    public void add(YamlNode node, String path, String message) {
        add(node.origin(), node.line(), path, message);
    }

    public int count() {
        return problems.size();
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    public List<YamlProblem> list() {
        return List.copyOf(problems);
    }

    /** Throws when any problem was reported, with the problems sorted by line. */
    public void throwIfAny() throws YamlValidationException {
        if (!problems.isEmpty()) {
            throw exception();
        }
    }

    /** The problems of the file sorted by line (stable: a line keeps report order), then those of properties. */
    public YamlValidationException exception() {
        List<YamlProblem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparingInt((YamlProblem p) -> p.file().equals(file) ? 0 : 1)
                .thenComparingInt(p -> p.file().equals(file) ? p.line() : 0));
        return new YamlValidationException(sorted);
    }
}
