package dev.drawbridge.web;

import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.gate.Decision;
import dev.drawbridge.gate.GateResult;
import dev.drawbridge.gate.ImageVerdict;
import dev.drawbridge.gate.Verdict;
import dev.drawbridge.gate.Violation;
import dev.drawbridge.insight.TeamScore;
import dev.drawbridge.reconcile.EnvironmentStatus;
import dev.drawbridge.reconcile.Owners;
import dev.drawbridge.reconcile.ReconcileOutcome;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One environment on the dashboard, as a person reads it: where its head is, what the gate decided, who owns
 * its workloads, what blocks it (worst first) and whether a promotion waits for it.
 *
 * @param state        {@code PASS}, {@code BLOCK}, {@code ERROR} (the decision), or {@code pending} before the first reconcile
 * @param outcome      {@code applied}, {@code blocked}, {@code failed} or {@code pending}
 * @param decisionPath the decision page of the head; null without a revision
 * @param owners       the owners ({@code drawbridge.dev/owner}) of its workloads, {@code unowned} when some have none
 * @param blockers     what blocks it, worst first, at most {@value #SHOWN_BLOCKERS}
 * @param moreBlockers how many more there are (on the decision page)
 * @param warnings     images that pass with warnings
 * @param promotion    a promotion waiting for it; null when none is known
 * @param priorities   the first priorities found in it (ranks as on {@code /priorities})
 */
record EnvironmentCard(String name, String branch, String state, String outcome, String reasonSuffix, String revisionShort,
                       String decisionPath, String policyRevisionShort, String message, Moment finished, Moment nextRun,
                       int consecutiveFailures, List<String> owners, List<Blocker> blockers, int moreBlockers,
                       long warnings, PromotionWaiting promotion, List<InsightPages.PriorityRow> priorities) {

    static final int SHOWN_PRIORITIES = 3;

    static final int SHOWN_BLOCKERS = 4;

    /**
     * One thing that keeps the head out of the cluster.
     *
     * @param subject  the image's repository ({@code shop/api}), or what else it is about ({@code manifests})
     * @param owners   the owners of the workloads it is about, comma separated; empty when it is about no workload
     * @param severity a vulnerability's severity, else null
     * @param problem  what is wrong
     * @param fix      how to fix it; null when nobody said
     */
    record Blocker(String subject, String owners, String severity, String problem, String fix) {
    }

    static EnvironmentCard of(EnvironmentConfig env, EnvironmentStatus status, Owners owners, PromotionWaiting promotion,
                              List<InsightPages.PriorityRow> priorities, Clock clock) {
        ReconcileOutcome last = status.last();
        Moment next = Moment.of(status.nextRun(), clock);
        if (last == null) {
            return new EnvironmentCard(env.name().value(), env.branch(), "pending", "pending", "", "", null, "",
                    Outcomes.message(null), Moment.NEVER, next, status.consecutiveFailures(), List.of(), List.of(), 0, 0,
                    promotion, priorities);
        }
        GateResult result = last.report().result();
        String revision = last.report().revision() == null ? null : last.report().revision().hex();
        List<Blocker> all = blockers(last, owners);
        long warnings = result.images().stream().filter(i -> i.verdict() == Verdict.WARN).count();
        return new EnvironmentCard(env.name().value(), env.branch(), result.decision().name(), Outcomes.kind(last),
                DecisionPage.reasonSuffix(last), DecisionPage.shortSha(revision),
                revision == null ? null : Outcomes.decisionPath(env.name(), revision),
                DecisionPage.shortSha(last.report().policyRevision()), Outcomes.message(last),
                Moment.of(status.finishedAt(), clock), next, status.consecutiveFailures(), owners(result, owners),
                all.subList(0, Math.min(SHOWN_BLOCKERS, all.size())), Math.max(0, all.size() - SHOWN_BLOCKERS), warnings,
                promotion, priorities);
    }

    /** Worst first: what could not be checked, then vulnerabilities by severity, then other rules, then manifests. */
    static List<Blocker> blockers(ReconcileOutcome last, Owners owners) {
        GateResult result = last.report().result();
        List<Blocker> found = new ArrayList<>();
        if (result.decision() == Decision.ERROR) {
            result.errors().forEach(e -> found.add(new Blocker("gate", "", null, e, null)));
        }
        record Item(ImageVerdict image, Violation violation) {
        }
        List<Item> items = new ArrayList<>();
        for (ImageVerdict image : result.images()) {
            if (image.verdict() == Verdict.BLOCK || image.verdict() == Verdict.ERROR) {
                image.violations().forEach(v -> items.add(new Item(image, v)));
            }
        }
        items.sort(Comparator.comparingInt((Item i) -> i.image().verdict() == Verdict.ERROR ? -1 : 0)
                .thenComparingInt(i -> i.violation().severity() == null ? 10 : i.violation().severity().ordinal()));
        for (Item i : items) {
            Violation v = i.violation();
            found.add(new Blocker(i.image().image() == null ? i.image().reference() : i.image().image().repository(),
                    String.join(", ", ownersOf(i.image(), owners)), v.severity() == null ? null : v.severity().name(),
                    v.message(), v.fix()));
        }
        if (result.decision() == Decision.BLOCK) {
            result.manifestViolations().forEach(v -> found.add(new Blocker("manifests", "",
                    v.severity() == null ? null : v.severity().name(), v.message(), v.fix())));
        }
        if (last instanceof ReconcileOutcome.Failed f && result.decision() != Decision.ERROR) {
            found.add(0, new Blocker(f.reason().name(), "", null, f.message(), null));
        }
        return found;
    }

    private static Set<String> ownersOf(ImageVerdict image, Owners owners) {
        Set<String> of = owners.of(image.workloads());
        return of.isEmpty() && !image.workloads().isEmpty() ? Set.of(TeamScore.UNOWNED) : of;
    }

    private static List<String> owners(GateResult result, Owners owners) {
        Set<String> all = new TreeSet<>();
        result.images().forEach(image -> all.addAll(ownersOf(image, owners)));
        return List.copyOf(all);
    }
}
