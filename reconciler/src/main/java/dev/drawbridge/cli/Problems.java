package dev.drawbridge.cli;

import dev.drawbridge.gate.GateResult;
import dev.drawbridge.gate.Verdict;
import dev.drawbridge.gate.Violation;

import java.util.ArrayList;
import java.util.List;

/** The lines a command prints on stderr for a result: every error, one line each. */
final class Problems {
    private Problems() {
    }

    static List<String> of(GateResult result) {
        List<String> lines = new ArrayList<>(result.errors());
        result.images().stream().filter(v -> v.verdict() == Verdict.ERROR)
                .flatMap(v -> v.violations().stream().map(Violation::message))
                .forEach(lines::add);
        return lines;
    }
}
