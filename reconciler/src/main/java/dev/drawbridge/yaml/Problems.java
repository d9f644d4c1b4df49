package dev.drawbridge.yaml;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects the problems of one file, so a validator can report all of them at once. */
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

    public void add(YamlNode node, String path, String message) {
        add(node.line(), path, message);
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

    public YamlValidationException exception() {
        List<YamlProblem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparingInt(YamlProblem::line)); // stable: same line keeps report order
        return new YamlValidationException(sorted);
    }
}
