package dev.drawbridge.registry;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.drawbridge.image.Severity;

/** Choosing among and combining scan reports. */
final class ScanReports {
    private ScanReports() {
    }

    /** Of several reports on one digest, the newest (a report without a time counts as oldest). */
    static Optional<ScanReport> newest(List<ScanReport> reports) {
        return reports.stream().max(Comparator.comparing(ScanReport::finishedAt,
                Comparator.nullsFirst(Comparator.naturalOrder())));
    }

    /**
     * One report for a multi-arch image from one report per platform: the union of findings, the oldest
     * finish time, and the worst status (anything but Success beats Success).
     */
    static ScanReport combine(List<ScanReport> perPlatform) {
        if (perPlatform.size() == 1) {
            return perPlatform.get(0);
        }
        String status = perPlatform.stream().map(ScanReport::status).filter(s -> !ScanReport.SUCCESS.equalsIgnoreCase(s))
                .findFirst().orElse(ScanReport.SUCCESS);
        Instant finished = perPlatform.stream().map(ScanReport::finishedAt)
                .reduce((a, b) -> a == null || b == null ? null : (a.isBefore(b) ? a : b)).orElse(null);
        String source = perPlatform.stream().map(ScanReport::source).distinct().reduce((a, b) -> a + "," + b).orElse("");
        boolean allFindings = perPlatform.stream().allMatch(r -> r.findings() != null);
        if (allFindings) {
            Set<Finding> union = new LinkedHashSet<>();
            perPlatform.forEach(r -> union.addAll(r.findings()));
            List<Finding> findings = List.copyOf(union);
            return new ScanReport(source, status, finished, ReportRecognizer.summarise(findings), findings);
        }
        // without ids, the per-severity counts of the worst platform are the best bound
        Map<Severity, Integer> summary = ReportRecognizer.zeroSummary();
        perPlatform.forEach(r -> r.summary().forEach((s, n) -> summary.merge(s, n, Math::max)));
        return new ScanReport(source, status, finished, summary, null);
    }
}
