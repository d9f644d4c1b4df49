package dev.drawbridge.insight;

import dev.drawbridge.image.Severity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Groups the occurrences of every environment into one row per finding and ranks the rows: the environment
 * closest to production first, then blocking before warning, then more workloads, more teams, more
 * environments, then fixable before unfixable, then the worse severity; the finding's name and rule end ties.
 */
final class Priorities {

    /** A row before its rank, with what it is ranked by. */
    private record Row(Priority priority, int order, Severity severity) {
    }

    private static final Comparator<Row> RANKING = Comparator
            .comparingInt((Row r) -> -r.order())
            .thenComparing(r -> !r.priority().blocking())
            .thenComparingInt(r -> -r.priority().workloads())
            .thenComparingInt(r -> -r.priority().teams().size())
            .thenComparingInt(r -> -r.priority().environments().size())
            .thenComparing(r -> !r.priority().fixable())
            .thenComparingInt(r -> r.severity() == null ? Severity.values().length : r.severity().ordinal())
            .thenComparing(r -> r.priority().finding())
            .thenComparing(r -> r.priority().rule());

    private Priorities() {
    }

    static List<Priority> rank(List<Occurrence> occurrences) {
        Map<String, List<Occurrence>> byFinding = new TreeMap<>();
        for (Occurrence o : occurrences) {
            byFinding.computeIfAbsent(o.key(), k -> new ArrayList<>()).add(o);
        }
        List<Row> rows = new ArrayList<>();
        byFinding.forEach((finding, found) -> rows.add(row(finding, found)));
        rows.sort(RANKING);
        List<Priority> ranked = new ArrayList<>();
        for (Row r : rows) {
            ranked.add(r.priority().withRank(ranked.size() + 1));
        }
        return ranked;
    }

    private static Row row(String finding, List<Occurrence> found) {
        // the most important occurrence names the rule: closest to production, blocking first
        List<Occurrence> sorted = found.stream()
                .sorted(Comparator.comparingInt((Occurrence o) -> -o.order()).thenComparing(o -> !o.blocking())
                        .thenComparing(Occurrence::environment))
                .toList();
        Occurrence first = sorted.get(0);
        int order = first.order();
        boolean blocking = found.stream().anyMatch(Occurrence::blocking);
        Severity severity = found.stream().map(Occurrence::severity).filter(Objects::nonNull)
                .min(Comparator.naturalOrder()).orElse(null);
        Set<String> workloads = new TreeSet<>();
        Set<String> teams = new TreeSet<>();
        Set<String> images = new TreeSet<>();
        Set<String> environments = new LinkedHashSet<>();
        for (Occurrence o : sorted) {
            o.workloads().forEach(w -> workloads.add(o.environment() + "\n" + w));
            teams.addAll(o.teams());
            if (o.reference() != null) {
                images.add(o.reference());
            }
            environments.add(o.environment());
        }
        boolean fixable = first.vulnerability() ? found.stream().anyMatch(o -> o.fixedIn() != null)
                : Findings.actionable(first.rule());
        Priority p = new Priority(0, finding, first.rule(), severity == null ? null : severity.name(), fixable,
                fix(first, sorted), List.copyOf(images), List.copyOf(teams), List.copyOf(environments),
                workloads.size(), blocking);
        return new Row(p, order, severity);
    }

    /**
     * What to do: for a vulnerability with a fixed version {@code update openssl to 3.0.15 in <images>}; without
     * one, say so; for a rule, the gate's advice, then the images ({@code rebuild ...: harbor.example.com/...}).
     */
    private static String fix(Occurrence first, List<Occurrence> found) {
        String names = found.stream().map(Occurrence::imageName).filter(Objects::nonNull).distinct().sorted()
                .collect(Collectors.joining(", "));
        String in = names.isEmpty() ? "" : " in " + names;
        if (first.key().equals(Findings.GATE_ERROR)) {
            return found.stream().map(Occurrence::fix).distinct().collect(Collectors.joining("; "));
        }
        if (!first.vulnerability()) {
            return first.fix() + (names.isEmpty() ? "" : ": " + names);
        }
        Map<String, Set<String>> updates = new TreeMap<>();
        Set<String> unfixed = new TreeSet<>();
        for (Occurrence o : found) {
            String pkg = o.pkg() == null ? "the affected package" : o.pkg();
            if (o.fixedIn() != null) {
                updates.computeIfAbsent(pkg, k -> new TreeSet<>()).add(o.fixedIn());
            } else {
                unfixed.add(pkg);
            }
        }
        unfixed.removeAll(updates.keySet());
        List<String> parts = new ArrayList<>();
        if (!updates.isEmpty()) {
            parts.add("update " + updates.entrySet().stream()
                    .map(e -> e.getKey() + " to " + String.join(" or ", e.getValue()))
                    .collect(Collectors.joining(" and ")) + in);
        }
        if (!unfixed.isEmpty()) {
            parts.add("no fixed version of " + String.join(", ", unfixed) + " yet: remove or replace it, or accept "
                    + first.key() + " with an exception (owner, reason, expiry)" + (updates.isEmpty() ? in : ""));
        }
        return String.join("; ", parts);
    }
}
