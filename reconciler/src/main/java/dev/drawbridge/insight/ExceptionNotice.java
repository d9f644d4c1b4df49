package dev.drawbridge.insight;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A one-time notice to an exception's owner: it entered its policy's {@code exceptionsWarnBefore} window, or it
 * expired. Each is sent once (its {@link #key()} is remembered where it was sent from); an exception whose expiry
 * date changes (renewed) is a new exception to remind of.
 *
 * @param exception the exception
 * @param kind      which notice
 */
public record ExceptionNotice(ExceptionEntry exception, Kind kind) {

    public enum Kind { EXPIRING, EXPIRED }

    public ExceptionNotice {
        Objects.requireNonNull(exception, "exception");
        Objects.requireNonNull(kind, "kind");
    }

    /** The notices due for these exceptions today: one for each in its warning window, one for each expired. */
    public static List<ExceptionNotice> due(List<ExceptionEntry> exceptions) {
        List<ExceptionNotice> due = new ArrayList<>();
        for (ExceptionEntry x : exceptions) {
            if (x.expired()) {
                due.add(new ExceptionNotice(x, Kind.EXPIRED));
            } else if (x.warning()) {
                due.add(new ExceptionNotice(x, Kind.EXPIRING));
            }
        }
        return due;
    }

    /** What identifies the notice: {@code exception/<env>/<id>/<vulnerability>/<expires>/<kind>}. */
    public String key() {
        return "exception/" + exception.environment() + "/" + exception.id() + "/" + exception.vulnerability() + "/"
                + exception.expires() + "/" + kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** One line for its owner. */
    public String description() {
        ExceptionEntry x = exception;
        String what = "exception " + x.id() + " (" + x.vulnerability() + ", " + x.environment() + ")";
        return switch (kind) {
            case EXPIRING -> what + " expires on " + x.expires() + (x.daysLeft() == 0 ? " (today)"
                    : " (in " + x.daysLeft() + (x.daysLeft() == 1 ? " day)" : " days)"))
                    + ": fix the vulnerability or renew the exception";
            case EXPIRED -> what + " expired on " + x.expires() + ": " + x.vulnerability()
                    + " blocks again until it is fixed or the exception renewed";
        };
    }
}
