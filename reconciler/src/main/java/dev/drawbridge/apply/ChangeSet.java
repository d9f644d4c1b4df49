package dev.drawbridge.apply;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The result of an apply: one entry per object, in the order the objects were handled (applies in apply
 * order, then deletions). Logs, reports and the inventory are derived from it.
 */
public record ChangeSet(List<ChangeSetEntry> entries) {

    public ChangeSet {
        entries = List.copyOf(Objects.requireNonNull(entries, "entries"));
    }

    public static ChangeSet empty() {
        return new ChangeSet(List.of());
    }

    /** How many entries have this action. */
    public int count(Action action) {
        return (int) entries.stream().filter(e -> e.action() == action).count();
    }

    /** Counts per action, every action present (zero when none). */
    public Map<Action, Integer> counts() {
        Map<Action, Integer> counts = new EnumMap<>(Action.class);
        for (Action action : Action.values()) {
            counts.put(action, count(action));
        }
        return counts;
    }

    /** How many objects were written (created, configured or deleted). */
    public int writes() {
        return (int) entries.stream().filter(e -> e.action().isWrite()).count();
    }

    /** Whether anything was written. */
    public boolean hasChanges() {
        return writes() > 0;
    }

    /** The entries whose live drift was undone. */
    public List<ChangeSetEntry> drifted() {
        return entries.stream().filter(ChangeSetEntry::drift).toList();
    }

    public Optional<ChangeSetEntry> find(String id) {
        return entries.stream().filter(e -> e.id().equals(id)).findFirst();
    }

    /** The entries with this action. */
    public List<ChangeSetEntry> withAction(Action action) {
        return entries.stream().filter(e -> e.action() == action).toList();
    }

    /** A one-line summary, e.g. {@code 1 created, 2 configured (1 drift undone), 5 unchanged, 1 deleted}. */
    public String summary() {
        String counts = counts().entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .map(e -> e.getValue() + " " + e.getKey().label()
                        + (e.getKey() == Action.CONFIGURED && !drifted().isEmpty() ? " (" + drifted().size() + " drift undone)" : ""))
                .collect(Collectors.joining(", "));
        return counts.isEmpty() ? "no objects" : counts;
    }

    /** One line per entry, as in Flux's apply log: {@code Deployment/shop/api configured}. */
    @Override
    public String toString() {
        return entries.stream().map(ChangeSetEntry::toString).collect(Collectors.joining("\n"));
    }
}
