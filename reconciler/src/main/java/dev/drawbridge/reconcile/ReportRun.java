package dev.drawbridge.reconcile;

import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.decision.DecisionRecord;
import dev.drawbridge.decision.DecisionStoreException;
import dev.drawbridge.insight.EnvironmentState;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The states insight needs for {@code report}: the gate half of the pipeline (source, render, inspect, verify)
 * on each environment's branch head, as {@code check} runs it, with the owners and the policy of each render. The
 * cluster is optional: promotion evidence and the decision history are read from it where it can be reached;
 * elsewhere {@code promotion.evidence} is skipped and the history is unknown, and {@code notes} says so.
 */
public final class ReportRun {

    private final Stages stages;
    private final Path workDir;
    private final DecisionStores stores;

    public ReportRun(Stages stages, Path workDir, DecisionStores stores) {
        this.stages = stages;
        this.workDir = workDir;
        this.stores = stores;
    }

    /** One state per environment, in the configuration's order. */
    public List<EnvironmentState> states(DrawbridgeConfig config, Consumer<String> notes) {
        ReconcilePipeline gate = ReconcilePipeline.checks(stages, workDir, stores, null);
        Map<String, Integer> orders = InsightFeed.orders(config);
        List<EnvironmentState> states = new ArrayList<>();
        for (EnvironmentConfig env : config.environments()) {
            boolean skipPromotion = false;
            if (env.promoteFrom() != null) {
                String why = unreadable(config.environment(env.promoteFrom()).orElseThrow());
                if (why != null) {
                    skipPromotion = true;
                    notes.accept(env.name() + ": promotion.evidence skipped: the decision records of " + env.promoteFrom()
                            + " cannot be read (" + why + ")");
                }
            }
            Checked outcome = gate.check(config, env, new CheckOptions(null, skipPromotion));
            List<DecisionRecord> history = history(env);
            if (history == null) {
                notes.accept(env.name() + ": no decision history (its cluster cannot be reached): time to fix and"
                        + " the last production block are unknown");
            }
            states.add(new EnvironmentState(env.name().value(), orders.get(env.name().value()), outcome.report(), outcome.policy(),
                    Owners.of(outcome.objects()).byObject(), history));
        }
        return states;
    }

    /** Why the environment's decision records cannot be read; null when they can. */
    private String unreadable(EnvironmentConfig env) {
        try {
            stores.of(env).appliedPassDigests(env.name());
            return null;
        } catch (DecisionStoreException | RuntimeException e) {
            return e.getMessage();
        }
    }

    private List<DecisionRecord> history(EnvironmentConfig env) {
        try {
            return stores.of(env).history(env.name());
        } catch (DecisionStoreException | RuntimeException e) {
            return null;
        }
    }
}
