package dev.drawbridge.web;

import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.gate.Decision;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.gate.ImageVerdict;
import dev.drawbridge.promotion.Promotions;
import dev.drawbridge.reconcile.EnvironmentStatus;
import dev.drawbridge.reconcile.ReconcileOutcome;
import dev.drawbridge.values.EnvironmentName;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A promotion that waits for an environment with {@code promote-from: X}: X applied a revision (decision PASS)
 * with image digests the environment's head does not have.
 *
 * <p>This is what serve's own memory shows (the last outcome of each environment since it started); the
 * images are compared by digest, the manifests are not compared. Where a promotion request is kept on a forge,
 * its state belongs here too: {@link #of} is the one place that decides what a card shows.
 *
 * @param from          the source environment X
 * @param revisionShort the revision X applied, shortened
 * @param decisionPath  X's decision page of that revision
 * @param images        the references in X whose digests the environment lacks
 * @param request       the promotion request's state where the environment has {@code promotion:} (its link, what
 *                      the last run did, the target's gate on it); null without one
 */
record PromotionWaiting(String from, String revisionShort, String decisionPath, List<String> images,
                        Promotions.EdgeState request) {

    /**
     * The promotion waiting for {@code target}, if its source applied digests the target's head lacks, with the
     * state of its promotion request where there is one.
     */
    static Optional<PromotionWaiting> of(EnvironmentConfig target, Function<EnvironmentName, Optional<EnvironmentStatus>> statuses,
                                         Function<EnvironmentName, Optional<Promotions.EdgeState>> requests) {
        if (target.promoteFrom() == null) {
            return Optional.empty();
        }
        ReconcileOutcome source = statuses.apply(target.promoteFrom()).map(EnvironmentStatus::last).orElse(null);
        if (!(source instanceof ReconcileOutcome.Applied applied)
                || applied.report().result().decision() != Decision.PASS || applied.report().revision() == null) {
            return Optional.empty();
        }
        ReconcileOutcome mine = statuses.apply(target.name()).map(EnvironmentStatus::last).orElse(null);
        Set<String> have = new LinkedHashSet<>();
        if (mine != null) {
            if (applied.report().revision().equals(mine.report().revision())) {
                return Optional.empty();
            }
            digests(mine.report()).forEach(have::add);
        }
        List<String> lacking = applied.report().result().images().stream()
                .filter(i -> i.digest() != null && !have.contains(i.digest().toString()))
                .map(ImageVerdict::reference).distinct().toList();
        if (lacking.isEmpty()) {
            return Optional.empty();
        }
        String revision = applied.report().revision().hex();
        Promotions.EdgeState request = requests.apply(target.name())
                .filter(r -> r.revision() == null || r.revision().equals(revision)).orElse(null);
        return Optional.of(new PromotionWaiting(target.promoteFrom().value(), DecisionPage.shortSha(revision),
                Outcomes.decisionPath(target.promoteFrom(), revision), lacking, request));
    }

    private static List<String> digests(GateReport report) {
        return report.result().images().stream().map(ImageVerdict::digest).filter(Objects::nonNull)
                .map(Object::toString).toList();
    }
}
