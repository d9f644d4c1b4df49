package dev.drawbridge.reconcile;

import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.decision.DecisionStore;

/** Where each environment's decision records are kept: the cluster of that environment. */
@FunctionalInterface
public interface DecisionStores {

    /** @throws RuntimeException when the cluster's client cannot be built (kubeconfig missing, ...) */
    DecisionStore of(EnvironmentConfig env);
}
