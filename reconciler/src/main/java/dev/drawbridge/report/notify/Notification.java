package dev.drawbridge.report.notify;

import dev.drawbridge.values.EnvironmentName;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A change of outcome of one environment, worth telling people about.
 *
 * @param environment the environment's name
 * @param kind        what changed
 * @param revision    the Git sha concerned; null when unknown (the branch could not be fetched)
 * @param description one line a human can act on, e.g. {@code blocked: shop/api CVE-2026-1234 CRITICAL (fix 3.0.15)}
 * @param owners      the values of the label {@code drawbridge.dev/owner} of the workloads concerned (sorted);
 *                    empty when none is known
 * @param link        the decision page, or the dashboard when there is no revision
 */
public record Notification(EnvironmentName environment, Kind kind, String revision, String description, Set<String> owners,
                           String link) {

    public enum Kind {
        /** The gate blocked a revision of an environment that was not blocked before. */
        BLOCKED,
        /** A revision was applied after the environment had been blocked. */
        UNBLOCKED,
        /** A reconcile failed (source, policy, render, gate error, apply, prune, health) after one that did not. */
        ERROR,
        /** A revision was applied after reconciles had failed. */
        RECOVERED,
        /** Objects changed in the cluster by someone else were put back to their state in Git. */
        DRIFT_UNDONE,
        /** A policy exception entered its policy's {@code exceptionsWarnBefore} window (told once, to its owner). */
        EXCEPTION_EXPIRING,
        /** A policy exception expired: the vulnerability it accepted blocks again (told once, to its owner). */
        EXCEPTION_EXPIRED,
        /** A promotion request into the environment was opened (or moved to a newer revision). */
        PROMOTION_OPENED,
        /** The environment's gate blocks the revision its promotion request carries. */
        PROMOTION_BLOCKED,
        /** A promotion into the environment was merged. */
        PROMOTION_MERGED
    }

    public Notification {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(description, "description");
        owners = Collections.unmodifiableSortedSet(new TreeSet<>(owners));
    }

    /** The first 12 characters of the revision, or {@code -}. */
    public String shortRevision() {
        return revision == null ? "-" : revision.substring(0, Math.min(12, revision.length()));
    }

    /** What happened, in words: {@code newly blocked}, {@code drift undone}. */
    public String headline() {
        return switch (kind) {
            case BLOCKED -> "newly blocked";
            case UNBLOCKED -> "unblocked";
            case ERROR -> "error";
            case RECOVERED -> "recovered";
            case DRIFT_UNDONE -> "drift undone";
            case EXCEPTION_EXPIRING -> "exception expiring";
            case EXCEPTION_EXPIRED -> "exception expired";
            case PROMOTION_OPENED -> "promotion request opened";
            case PROMOTION_BLOCKED -> "promotion blocked";
            case PROMOTION_MERGED -> "promotion merged";
        };
    }

    @Override
    public String toString() {
        return kind + " " + environment + "@" + shortRevision();
    }
}
