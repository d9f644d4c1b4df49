package dev.drawbridge.reconcile;

import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.decision.DecisionRecord;
import dev.drawbridge.decision.DecisionStoreException;
import dev.drawbridge.insight.EnvironmentState;
import dev.drawbridge.insight.Insight;
import dev.drawbridge.insight.Insights;
import dev.drawbridge.insight.PromotionOrder;
import dev.drawbridge.policy.GatePolicy;
import dev.drawbridge.values.EnvironmentName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Feeds insight (priorities, teams, exceptions) from the gate results the loop already has: each finished
 * reconcile gives its environment's state — the gate report, the owners and the policy of that render — and,
 * when the head (revision and policy revision) changed, its decision records are read once from the cluster.
 * Reading {@link #current()} asks no registry and no cluster.
 */
public final class InsightFeed implements ReconcileLoop.Listener {

    private static final Logger log = LoggerFactory.getLogger(InsightFeed.class);

    private final Map<String, Integer> orders;
    private final Function<EnvironmentName, Owners> owners;
    private final Function<EnvironmentName, Optional<GatePolicy>> policies;
    private final DecisionStores stores;
    private final Insights insights;

    /**
     * @param owners   the owners of an environment's last render ({@link ReconcilePipeline#owners})
     * @param policies the policy of an environment's last reconcile ({@link ReconcilePipeline#policy})
     * @param stores   where each environment's decision records are read from
     */
    public InsightFeed(DrawbridgeConfig config, Function<EnvironmentName, Owners> owners,
                       Function<EnvironmentName, Optional<GatePolicy>> policies, DecisionStores stores, Clock clock) {
        this(orders(config), owners, policies, stores, clock);
    }

    /** @param orders each environment's order ({@link #orders(DrawbridgeConfig)}) */
    InsightFeed(Map<String, Integer> orders, Function<EnvironmentName, Owners> owners,
                Function<EnvironmentName, Optional<GatePolicy>> policies, DecisionStores stores, Clock clock) {
        this.orders = Map.copyOf(orders);
        this.owners = owners;
        this.policies = policies;
        this.stores = stores;
        this.insights = new Insights(clock);
    }

    /** Each environment's place in the promotion chain: production (the end of the chain) highest. */
    public static Map<String, Integer> orders(DrawbridgeConfig config) {
        Map<String, String> from = new LinkedHashMap<>();
        // insight keeps environments by their plain names
        config.environments().forEach(e -> from.put(e.name().value(),
                e.promoteFrom() == null ? null : e.promoteFrom().value()));
        return PromotionOrder.of(from);
    }

    @Override
    public void reconciled(EnvironmentConfig env, ReconcileOutcome outcome, Duration took) {
        String name = env.name().value();
        EnvironmentState state = new EnvironmentState(name, orders.getOrDefault(name, 0), outcome.report(),
                policies.apply(env.name()).orElse(null), owners.apply(env.name()).byObject(), null);
        Optional<EnvironmentState> kept = insights.state(name);
        if (kept.isPresent() && kept.get().head().equals(state.head()) && kept.get().history() != null) {
            state = state.withHistory(kept.get().history());
        } else {
            state = state.withHistory(history(env));
        }
        insights.update(state);
    }

    /** The insight of every environment's last reconcile (no rows before the first). */
    public Insight current() {
        return insights.current();
    }

    /** The environment's decision records; null (unknown) when they cannot be read. */
    private List<DecisionRecord> history(EnvironmentConfig env) {
        try {
            return stores.of(env).history(env.name());
        } catch (DecisionStoreException | RuntimeException e) {
            log.debug("{}: decision history not read for insight: {}", env.name(), e.getMessage());
            return null;
        }
    }
}
