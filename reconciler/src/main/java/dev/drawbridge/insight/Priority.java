package dev.drawbridge.insight;

import java.util.List;
import java.util.Objects;

/**
 * One finding across every environment (a vulnerability id, or a rule such as {@code image.age}), ranked so
 * that rank 1 is the single fix that unblocks the most (docs/priorities.md). Its components are exactly the
 * fields of its JSON row ({@link InsightJson}).
 *
 * @param rank         1 for the first row
 * @param finding      the vulnerability id ({@code CVE-2026-1234}), else the rule name ({@code image.age})
 * @param rule         the rule that reports it, e.g. {@code scan.severity}
 * @param severity     the worst severity of the vulnerability ({@code CRITICAL} ...); null for a rule
 * @param fixable      a fix exists (a fixed version of the package; for a rule: something the owners can do)
 * @param fix          what to do, e.g. {@code update openssl to 3.0.15 in harbor.example.com/prod/shop/api}
 * @param images       the normalised references it is found in, sorted
 * @param teams        the owners of the workloads it reaches ({@code unowned} for workloads without one), sorted
 * @param environments the environments it is found in, closest to production first
 * @param workloads    how many workloads it reaches, counted once per environment
 * @param blocking     it blocks a revision (an image BLOCKed, or not verified) in at least one environment
 */
public record Priority(int rank, String finding, String rule, String severity, boolean fixable, String fix,
                       List<String> images, List<String> teams, List<String> environments, int workloads,
                       boolean blocking) {

    public Priority {
        Objects.requireNonNull(finding, "finding");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(fix, "fix");
        images = List.copyOf(images);
        teams = List.copyOf(teams);
        environments = List.copyOf(environments);
    }

    /** What fixing it unblocks: {@code unblocks 3 workloads in production, acceptance}. */
    public String unblocks() {
        String where = environments.isEmpty() ? "" : " in " + String.join(", ", environments);
        String what = workloads == 1 ? "1 workload" : workloads + " workloads";
        if (workloads == 0) {
            what = environments.size() == 1 ? "the environment" : "the environments";
            where = environments.isEmpty() ? "" : " " + String.join(", ", environments);
        }
        return (blocking ? "unblocks " : "clears warnings on ") + what + where;
    }

    /** The same row at another rank. */
    Priority withRank(int newRank) {
        return new Priority(newRank, finding, rule, severity, fixable, fix, images, teams, environments, workloads, blocking);
    }
}
