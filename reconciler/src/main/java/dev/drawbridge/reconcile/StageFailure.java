package dev.drawbridge.reconcile;

import dev.drawbridge.apply.ChangeSet;

import java.util.List;
import java.util.Objects;

/**
 * A stage of the reconcile could not do its job: exactly one {@link Reason}, and what a human can act on. Each
 * error starts with the stage it is about ({@code source: }, {@code render: }, ...). {@code changes} is what an apply
 * that failed half-way had already written (empty for every other stage).
 */
final class StageFailure extends Exception {

    private final Reason reason;
    private final List<String> errors;
    private final transient ChangeSet changes;

    StageFailure(Reason reason, List<String> errors, ChangeSet changes) {
        super(String.join("; ", errors));
        this.reason = Objects.requireNonNull(reason, "reason");
        this.errors = List.copyOf(errors);
        this.changes = Objects.requireNonNull(changes, "changes");
    }

    StageFailure(Reason reason, String error) {
        this(reason, List.of(error), ChangeSet.empty());
    }

    StageFailure(Reason reason, List<String> errors) {
        this(reason, errors, ChangeSet.empty());
    }

    Reason reason() {
        return reason;
    }

    List<String> errors() {
        return errors;
    }

    ChangeSet changes() {
        return changes;
    }
}
