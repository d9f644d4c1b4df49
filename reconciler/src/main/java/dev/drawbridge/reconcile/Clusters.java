package dev.drawbridge.reconcile;

import dev.drawbridge.apply.Applier;
import dev.drawbridge.apply.KubernetesApplier;
import dev.drawbridge.apply.KubernetesClients;
import dev.drawbridge.apply.LeaseStore;
import dev.drawbridge.config.ClusterConfig;
import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.config.LeasesConfig;
import dev.drawbridge.decision.DecisionStore;
import dev.drawbridge.decision.KubernetesDecisionStore;
import dev.drawbridge.decision.KubernetesNoticeLedger;
import dev.drawbridge.decision.NoticeLedger;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One applier per cluster of the configuration ({@code environments[].cluster}: a kubeconfig and
 * context, or in-cluster / {@code ~/.kube/config}), made on first use and shared by the environments
 * that name the same cluster; likewise the store of decision records kept in each cluster. The applier
 * and the store of a cluster share one client, and all clients share one set of I/O threads
 * ({@link KubernetesClients}).
 */
public final class Clusters implements Function<EnvironmentConfig, Applier>, DecisionStores, AutoCloseable {

    private final KubernetesClients clients = new KubernetesClients();
    private final Map<ClusterConfig, KubernetesApplier> appliers = new ConcurrentHashMap<>();
    private final Map<ClusterConfig, KubernetesDecisionStore> stores = new ConcurrentHashMap<>();
    private final Map<ClusterConfig, NoticeLedger> ledgers = new ConcurrentHashMap<>();
    private final KubernetesApplier.Settings settings;

    /** Appliers with the default settings. */
    public Clusters() {
        this(KubernetesApplier.Settings.defaults());
    }

    /** Appliers with these settings (e.g. {@code drift.ignore-managers}). */
    public Clusters(KubernetesApplier.Settings settings) {
        this.settings = settings;
    }

    /** Appliers as the configuration says ({@code drift.ignore-managers}). */
    public static Clusters of(DrawbridgeConfig config) {
        return new Clusters(KubernetesApplier.Settings.defaults().withIgnoreManagers(config.drift().ignoreManagers()));
    }

    @Override
    public Applier apply(EnvironmentConfig env) {
        ClusterConfig cluster = env.cluster() == null ? ClusterConfig.DEFAULT : env.cluster();
        return appliers.computeIfAbsent(cluster,
                c -> clients.applier(c.kubeconfig(), c.context(), settings));
    }

    /** The decision records of the environment's cluster (docs/operations.md). */
    @Override
    public DecisionStore of(EnvironmentConfig env) {
        ClusterConfig cluster = env.cluster() == null ? ClusterConfig.DEFAULT : env.cluster();
        return stores.computeIfAbsent(cluster,
                c -> KubernetesDecisionStore.of(clients, c.kubeconfig(), c.context(), KubernetesDecisionStore.Settings.defaults()));
    }

    /** The Leases of serve's replicas ({@code leases:}), over the client of the cluster where they live. */
    public LeaseStore leases(LeasesConfig leases) {
        ClusterConfig cluster = leases.cluster() == null ? ClusterConfig.DEFAULT : leases.cluster();
        return clients.leases(cluster.kubeconfig(), cluster.context(), leases.namespace());
    }

    /** Whether {@code e} says the cluster could not be reached or refused the request (the client's own failure). */
    public static boolean isClusterFailure(RuntimeException e) {
        return KubernetesClients.isClientFailure(e);
    }

    /** The ledger of one-time notices kept in the environment's cluster, beside its decision records. */
    public NoticeLedger notices(EnvironmentConfig env) {
        ClusterConfig cluster = env.cluster() == null ? ClusterConfig.DEFAULT : env.cluster();
        return ledgers.computeIfAbsent(cluster, c -> KubernetesNoticeLedger.of(clients, c.kubeconfig(), c.context(),
                KubernetesDecisionStore.Settings.defaults().namespace()));
    }

    @Override
    public void close() {
        appliers.clear();
        stores.clear();
        ledgers.clear();
        clients.close();
    }
}
