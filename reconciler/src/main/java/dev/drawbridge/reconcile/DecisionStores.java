package dev.drawbridge.reconcile;

import dev.drawbridge.apply.DecisionStore;
import dev.drawbridge.config.EnvironmentConfig;

/** Where each environment's decision records are kept: the cluster of that environment. */
@FunctionalInterface
public interface DecisionStores {

    /** @throws RuntimeException when the cluster's client cannot be built (kubeconfig missing, ...) */
    DecisionStore of(EnvironmentConfig env);
}
