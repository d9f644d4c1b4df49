package dev.drawbridge.config;

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
 */
public record EnvironmentConfig(String name, String branch, String path, ClusterConfig cluster, boolean prune,
                                Duration interval, String promoteFrom, boolean allowEmpty, boolean waitForHealth,
                                Duration healthTimeout, List<String> platforms) {
    public EnvironmentConfig {
        platforms = List.copyOf(platforms);
    }
}
