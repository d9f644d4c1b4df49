package dev.drawbridge.insight;

import dev.drawbridge.image.ImageReference;
import dev.drawbridge.policy.VulnerabilityException;

import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Every exception of every environment's policy, with the days it has left; soonest expiry first. */
final class ExceptionList {

    private ExceptionList() {
    }

    static List<ExceptionEntry> of(List<EnvironmentState> environments, LocalDate today) {
        List<ExceptionEntry> entries = new ArrayList<>();
        for (EnvironmentState env : environments) {
            if (env.policy() == null) {
                continue;
            }
            Duration warnBefore = env.policy().exceptionsWarnBefore();
            for (VulnerabilityException x : env.policy().exceptions()) {
                long daysLeft = ChronoUnit.DAYS.between(today, x.expires());
                // the window of 14d is the last 14 days before the expiry day, and the expiry day itself
                boolean warning = warnBefore != null && daysLeft >= 0 && daysLeft <= warnBefore.toDays();
                entries.add(new ExceptionEntry(x.id(), env.name(), x.vulnerability(),
                        x.images().stream().map(ImageReference::name).toList(), x.owner(), x.reason(), x.expires(),
                        daysLeft, warning));
            }
        }
        entries.sort(Comparator.comparing(ExceptionEntry::expires).thenComparing(ExceptionEntry::environment)
                .thenComparing(ExceptionEntry::id));
        return entries;
    }
}
