package dev.drawbridge.insight;

import dev.drawbridge.decision.DecisionRecord;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.policy.GatePolicy;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What insight knows of one environment's current head: its gate report, who owns its workloads, its
 * policy, and its decision history.
 *
 * @param name    the environment's name
 * @param order   its place on the way to production ({@link PromotionOrder}): a higher order is closer to
 *                production and its findings rank first; the highest is "production"
 * @param report  the gate's report on the current head (decision ERROR: its images are unknown)
 * @param policy  the policy the head was judged by; null when it could not be loaded
 * @param owners  the owner ({@code drawbridge.dev/owner}) of each workload id of the render, e.g.
 *                {@code apps/v1/Deployment/shop/api -> team-shop}; workloads not in it are {@code unowned}
 * @param history the environment's decision records, any order; null when they could not be read (no cluster)
 */
public record EnvironmentState(String name, int order, GateReport report, GatePolicy policy, Map<String, String> owners,
                               List<DecisionRecord> history) {

    public EnvironmentState {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(report, "report");
        if (order < 0) {
            throw new IllegalArgumentException("Invalid order of environment " + name + " (must be 0 or more): " + order);
        }
        owners = owners == null ? Map.of() : Map.copyOf(owners);
        history = history == null ? null : List.copyOf(history);
    }

    /** The same state with another decision history (null: unknown). */
    public EnvironmentState withHistory(List<DecisionRecord> records) {
        return new EnvironmentState(name, order, report, policy, owners, records);
    }

    /** The key its computed part is cached by: the head's revision and policy revision. */
    public String head() {
        return report.revision() + "@" + report.policyRevision();
    }
}
