package dev.drawbridge.report;

import dev.drawbridge.gate.Decision;
import dev.drawbridge.gate.GateResult;
import dev.drawbridge.gate.ImageVerdict;
import dev.drawbridge.gate.Verdict;
import dev.drawbridge.gate.Violation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The one-line description of a decision for a commit status: at most 140 characters, the worst
 * problem first, the rest counted ({@code blocked: shop/api CVE-2026-1234 CRITICAL (fix 3.0.15) +2 more}).
 */
public final class StatusDescription {
    public static final int MAX = 140;

    private StatusDescription() {
    }

    public static String of(GateResult result) {
        List<String> problems = new ArrayList<>();
        if (result.decision() == Decision.ERROR) {
            problems.addAll(result.errors());
            result.images().stream().filter(v -> v.verdict() == Verdict.ERROR)
                    .forEach(v -> v.violations().forEach(x -> problems.add(x.message())));
            return fit("error: ", problems, "could not verify");
        }
        List<ImageVerdict> blocked = result.images().stream().filter(v -> v.verdict() == Verdict.BLOCK).toList();
        record Item(ImageVerdict image, Violation violation) {
        }
        List<Item> items = new ArrayList<>();
        blocked.forEach(v -> v.violations().forEach(x -> items.add(new Item(v, x))));
        items.sort(Comparator.comparingInt((Item i) -> rank(i.violation())));
        items.forEach(i -> problems.add(shortName(i.image()) + " " + brief(i.violation())));
        if (result.decision() == Decision.BLOCK) {
            result.manifestViolations().forEach(x -> problems.add(x.message()));
            return fit("blocked: ", problems, "blocked");
        }
        long images = result.images().size();
        long warned = result.images().stream().filter(v -> v.verdict() == Verdict.WARN).count();
        return warned == 0 ? "passed: " + images + " image(s) verified"
                : fit("passed with warnings: ", result.images().stream().filter(v -> v.verdict() == Verdict.WARN)
                .flatMap(v -> v.violations().stream().map(x -> shortName(v) + " " + brief(x))).toList(), "passed");
    }

    /** Worst first: vulnerabilities by severity, then the other rules. */
    private static int rank(Violation v) {
        return v.severity() != null ? v.severity().ordinal() : 10;
    }

    private static String shortName(ImageVerdict v) {
        String repo = v.image().repository();
        return repo;
    }

    private static String brief(Violation v) {
        if (v.id() != null) {
            return v.id() + " " + v.severity() + (v.fixedIn() != null ? " (fix " + v.fixedIn() + ")" : " (no fix)");
        }
        return v.rule();
    }

    private static String fit(String prefix, List<String> problems, String fallback) {
        if (problems.isEmpty()) {
            return fallback;
        }
        String first = problems.get(0);
        int more = problems.size() - 1;
        String suffix = more > 0 ? " +" + more + " more" : "";
        String text = prefix + first;
        if (text.length() + suffix.length() > MAX) {
            text = text.substring(0, MAX - suffix.length() - 1) + "…";
        }
        return text + suffix;
    }
}
