package dev.drawbridge.reconcile;

import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.decision.DecisionStoreException;
import dev.drawbridge.gate.Decision;
import dev.drawbridge.gate.Gate;
import dev.drawbridge.gate.GateResult;
import dev.drawbridge.gate.Rules;
import dev.drawbridge.policy.GatePolicy;
import dev.drawbridge.values.EnvironmentName;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Stage {@code promotion evidence} ({@code promotion.evidence}): with {@code promote-from: X}, every digest must have
 * been applied by a PASS decision of X, read from X's decision records in its cluster. Where they cannot be read the
 * rule is an ERROR (fail closed), unless the run was asked to skip it, which the report then says.
 */
final class PromotionEvidence {

    private final DecisionStores stores;

    PromotionEvidence(DecisionStores stores) {
        this.stores = stores;
    }

    GateResult require(Run run, Gate gate, GatePolicy policy, GateResult result) {
        EnvironmentConfig env = run.env();
        if (env.promoteFrom() == null) {
            return result;
        }
        if (run.options().skipPromotion()) {
            List<String> skipped = new ArrayList<>(result.skipped());
            skipped.add(Rules.PROMOTION_EVIDENCE);
            return new GateResult(result.decision(), result.images(), result.manifestViolations(), result.errors(), skipped);
        }
        EnvironmentName from = env.promoteFrom();
        Set<String> applied;
        try {
            EnvironmentConfig previous = run.config().environment(from).orElseThrow();
            applied = stores.of(previous).appliedPassDigests(from);
        } catch (DecisionStoreException | RuntimeException e) {
            List<String> errors = new ArrayList<>(result.errors());
            errors.add(Rules.PROMOTION_EVIDENCE + ": could not read the decision records of environment " + from + ": "
                    + e.getMessage() + " (use --skip-promotion to check without this rule)");
            return new GateResult(Decision.ERROR, result.images(), result.manifestViolations(), errors, result.skipped());
        }
        return gate.requirePromotion(result, from, applied, policy);
    }
}
