package dev.drawbridge.insight;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * One exception of one environment's policy, with the days it has left.
 *
 * @param id            e.g. {@code EXC-42}
 * @param environment   the environment whose policy holds it
 * @param vulnerability e.g. {@code CVE-2026-1234}
 * @param images        the image names it applies to; empty means every image
 * @param owner         who owns the decision (and is notified)
 * @param reason        why it is accepted
 * @param expires       the last day it applies
 * @param daysLeft      days from today to {@code expires}: 0 on the last day, negative once expired
 * @param warning       today is inside the policy's {@code exceptionsWarnBefore} window (and not expired)
 */
public record ExceptionEntry(String id, String environment, String vulnerability, List<String> images, String owner,
                             String reason, LocalDate expires, long daysLeft, boolean warning) {

    public ExceptionEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(expires, "expires");
        images = List.copyOf(images);
    }

    /** It no longer applies: its last day has passed. */
    public boolean expired() {
        return daysLeft < 0;
    }
}
