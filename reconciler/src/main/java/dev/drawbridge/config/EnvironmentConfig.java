package dev.drawbridge.config;

import dev.drawbridge.values.EnvironmentName;

import java.time.Duration;
import java.util.List;

/**
 * One entry of {@code environments:}.
 *
 * @param name          unique, a DNS label ({@code dev}, {@code production})
 * @param branch        the Git branch with its desired state, e.g. {@code env/dev}
 * @param path          relative directory in the repository to render
 * @param cluster       where to apply
 * @param prune         delete what left Git; default true
 * @param interval      how often to reconcile; default {@code git.poll-interval}
 * @param promoteFrom   the environment whose PASS decisions are required evidence, or null
 * @param allowEmpty    accept a render that would prune everything; default false
 * @param waitForHealth {@code wait}: report success only once workloads are healthy; default false
 * @param healthTimeout default 5m
 * @param platforms     platforms to check in multi-arch images, e.g. {@code linux/amd64}; empty means all
 * @param promotion     how a revision of {@code promoteFrom} reaches this environment; {@link Promotion#NONE}
 *                      without {@code promoteFrom} (see docs/promotion.md)
 */
public record EnvironmentConfig(EnvironmentName name, String branch, String path, ClusterConfig cluster, boolean prune,
                                Duration interval, EnvironmentName promoteFrom, boolean allowEmpty, boolean waitForHealth,
                                Duration healthTimeout, List<String> platforms, Promotion promotion) {
    public EnvironmentConfig {
        platforms = List.copyOf(platforms);
        promotion = promotion == null ? Promotion.NONE : promotion;
    }

    /** An environment without promotion requests. */
    public EnvironmentConfig(EnvironmentName name, String branch, String path, ClusterConfig cluster, boolean prune,
                             Duration interval, EnvironmentName promoteFrom, boolean allowEmpty, boolean waitForHealth,
                             Duration healthTimeout, List<String> platforms) {
        this(name, branch, path, cluster, prune, interval, promoteFrom, allowEmpty, waitForHealth, healthTimeout,
                platforms, Promotion.NONE);
    }

    /** {@code promotion:} of an environment. */
    public enum Promotion {
        /** No promotion request: people open them by hand. */
        NONE("none"),
        /** Drawbridge keeps one promotion request open; a person merges it. */
        PULL_REQUEST("pull-request"),
        /** As {@link #PULL_REQUEST}, and Drawbridge merges it once this environment's gate passes on its head. */
        AUTO_MERGE("auto-merge");

        private final String configName;

        Promotion(String configName) {
            this.configName = configName;
        }

        /** The spelling in the configuration file. */
        public String configName() {
            return configName;
        }
    }
}
