package dev.drawbridge.config;

import java.nio.file.Path;

/**
 * {@code environments[].cluster}: which cluster to apply to. Both null means the default: in-cluster
 * configuration, then {@code ~/.kube/config}.
 *
 * @param kubeconfig optional kubeconfig file (resolved against the configuration file's directory)
 * @param context    optional context of that kubeconfig
 */
public record ClusterConfig(Path kubeconfig, String context) {
    public static final ClusterConfig DEFAULT = new ClusterConfig(null, null);
}
