package dev.drawbridge.yaml;

import java.util.List;
import java.util.stream.Collectors;

/** A YAML file does not parse or validate; carries every problem found, in file order. */
public class YamlValidationException extends Exception {
    private final transient List<YamlProblem> problems;

    public YamlValidationException(List<YamlProblem> problems) {
        super(problems.stream().map(YamlProblem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a validation exception needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<YamlProblem> problems() {
        return problems;
    }
}
