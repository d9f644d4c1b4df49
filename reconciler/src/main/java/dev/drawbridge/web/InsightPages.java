package dev.drawbridge.web;

import dev.drawbridge.insight.ExceptionEntry;
import dev.drawbridge.insight.Insight;
import dev.drawbridge.insight.Priority;
import dev.drawbridge.insight.TeamScore;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The models of the pages made from insight ({@code /priorities}, {@code /teams}, {@code /exceptions}, and the
 * priorities on the dashboard's cards): insight's rows, with the links and words a person reads.
 */
final class InsightPages {

    private InsightPages() {
    }

    /** An environment a row reaches, linked to the decision page of its head (null: no head known). */
    record EnvironmentLink(String name, String path) {
    }

    /** A priority with its environments linked. */
    record PriorityRow(Priority priority, List<EnvironmentLink> environments) {
    }

    record PrioritiesPage(List<PriorityRow> rows, Moment computedAt) {
    }

    /**
     * A team with its trend.
     *
     * @param nextExpiry the soonest expiry of its exceptions, in words ({@code 2027-01-31, in 59 days}); empty when none
     */
    record TeamRow(TeamScore score, Sparkline trend, String nextExpiry, String medianTimeToFix) {
    }

    record TeamsPage(List<TeamRow> rows, int days, Moment computedAt) {
    }

    /** An exception with its days left in words ({@code expires today}, {@code 12 days left}, {@code expired 3 days ago}). */
    record ExceptionRow(ExceptionEntry entry, String daysLeft, String state) {
    }

    record ExceptionsPage(List<ExceptionRow> rows, Moment computedAt) {
    }

    static PriorityRow row(Priority p, Function<String, String> heads) {
        return new PriorityRow(p, p.environments().stream().map(env -> new EnvironmentLink(env, heads.apply(env))).toList());
    }

    static PrioritiesPage priorities(Insight insight, Function<String, String> heads, Clock clock) {
        return new PrioritiesPage(insight.priorities().stream().map(p -> row(p, heads)).toList(),
                Moment.of(insight.computedAt(), clock));
    }

    static TeamsPage teams(Insight insight, Map<String, int[]> trends, Clock clock) {
        List<TeamRow> rows = insight.teams().stream().map(t -> new TeamRow(t,
                Sparkline.of(trends.getOrDefault(t.team(), new int[TeamTrend.DAYS]), "blocked images of " + t.team()),
                t.nextExpiry() == null ? "" : t.nextExpiry() + ", " + days(daysFrom(clock, t.nextExpiry())),
                t.medianTimeToFixHours() == null ? "not known yet" : hours(t.medianTimeToFixHours()))).toList();
        return new TeamsPage(rows, TeamTrend.DAYS, Moment.of(insight.computedAt(), clock));
    }

    static ExceptionsPage exceptions(Insight insight, Clock clock) {
        return new ExceptionsPage(insight.exceptions().stream().map(e -> new ExceptionRow(e, days(e.daysLeft()),
                e.expired() ? "expired" : e.warning() || e.daysLeft() == 0 ? "warning" : "ok")).toList(),
                Moment.of(insight.computedAt(), clock));
    }

    private static long daysFrom(Clock clock, java.time.LocalDate day) {
        return java.time.temporal.ChronoUnit.DAYS.between(java.time.LocalDate.ofInstant(clock.instant(),
                java.time.ZoneOffset.UTC), day);
    }

    static String days(long left) {
        if (left == 0) {
            return "expires today";
        }
        if (left < 0) {
            return "expired " + (-left == 1 ? "yesterday" : -left + " days ago");
        }
        return left == 1 ? "1 day left" : left + " days left";
    }

    private static String hours(double h) {
        return h < 48 ? Math.round(h) + " h" : Math.round(h / 24) + " days";
    }
}
