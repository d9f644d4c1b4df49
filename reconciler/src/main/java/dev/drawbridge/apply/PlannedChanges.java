package dev.drawbridge.apply;

import java.util.Map;
import java.util.Objects;

/**
 * What an apply of a set of objects would do, without doing it ({@link Applier#preview}): the change set it
 * would report (created, configured, unchanged, deleted by pruning, skipped when pruning is off), and the
 * objects the API server refused in a server-side dry run, with its message.
 *
 * @param changes the change set an apply would produce now
 * @param refused object id to the API server's reason, for objects a dry run refused
 */
public record PlannedChanges(ChangeSet changes, Map<String, String> refused) {

    public PlannedChanges {
        Objects.requireNonNull(changes, "changes");
        refused = Map.copyOf(refused);
    }
}
