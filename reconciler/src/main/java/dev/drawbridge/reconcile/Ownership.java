package dev.drawbridge.reconcile;

import dev.drawbridge.values.EnvironmentName;

/**
 * Which environments this process may act on. Alone (one replica, or the command line) it holds them all;
 * with several replicas of serve, an environment is held by the replica that holds its Lease
 * ({@link EnvironmentLeases}): only the holder reconciles it, checks its pull requests and posts its
 * statuses, and a trigger that reaches another replica is passed on to the holder.
 */
public interface Ownership {

    /** This process may act on {@code environment} now. */
    boolean holds(EnvironmentName environment);

    /** Asks the holder of {@code environment} to reconcile it soon (this process does not hold it). */
    void passOn(EnvironmentName environment);

    /** The holder's identity, when known; this process's when it holds the environment. */
    default String holder(EnvironmentName environment) {
        return null;
    }

    /** One process that holds every environment. */
    Ownership ALONE = new Ownership() {
        @Override
        public boolean holds(EnvironmentName environment) {
            return true;
        }

        @Override
        public void passOn(EnvironmentName environment) {
        }
    };
}
