package dev.drawbridge.config;

import dev.drawbridge.apply.KubernetesApplier;

import java.util.List;

/**
 * {@code drift:} how live changes are undone (docs/security/drift.md).
 *
 * @param ignoreManagers {@code ignore-managers}: the field managers whose fields and list items are left alone
 *                       (the cluster's own controllers); default {@link #DEFAULT_IGNORE_MANAGERS}. Setting it
 *                       replaces the default.
 */
public record DriftConfig(List<String> ignoreManagers) {

    /**
     * The cluster's own controllers: the HPA (it runs in, and writes as, {@code kube-controller-manager}), the
     * other controllers of kube-controller-manager, the scheduler and the kubelet.
     */
    public static final List<String> DEFAULT_IGNORE_MANAGERS = KubernetesApplier.Settings.DEFAULT_IGNORE_MANAGERS;

    public DriftConfig {
        ignoreManagers = List.copyOf(ignoreManagers);
    }

    public static DriftConfig defaults() {
        return new DriftConfig(DEFAULT_IGNORE_MANAGERS);
    }
}
