package dev.drawbridge.decision;

import dev.drawbridge.apply.KubernetesClients;
import dev.drawbridge.apply.Manifests;
import dev.drawbridge.decision.DecisionStoreException.Reason;
import dev.drawbridge.hash.Sha256;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The notice ledger of one cluster: the ConfigMap {@value #NAME} in Drawbridge's namespace (that of its decision
 * records), one data key per notice sent (a hash of the notice's key; the value says which notice and when).
 * Claims use the ConfigMap's resourceVersion, so of two replicas claiming the same notice exactly one wins.
 */
public final class KubernetesNoticeLedger implements NoticeLedger {

    public static final String NAME = "drawbridge-notices";
    private static final int ATTEMPTS = 5;

    private final KubernetesClient client;
    private final String namespace;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    public KubernetesNoticeLedger(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /**
     * The ledger of the cluster of {@code context} in {@code kubeconfig}, in {@code namespace}, over that cluster's
     * shared client (closed by {@code clients}).
     */
    public static KubernetesNoticeLedger of(KubernetesClients clients, Path kubeconfig, String context, String namespace) {
        return new KubernetesNoticeLedger(clients.client(kubeconfig, context), namespace);
    }

    @Override
    public synchronized boolean claim(String key, Instant at) throws DecisionStoreException {
        String dataKey = dataKey(key);
        if (known.contains(dataKey)) {
            return false;
        }
        try {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                ConfigMap live = client.configMaps().inNamespace(namespace).withName(NAME).get();
                if (live != null && live.getData() != null && live.getData().containsKey(dataKey)) {
                    known.add(dataKey);
                    return false;
                }
                String value = at + " " + key;
                try {
                    if (live == null) {
                        client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder()
                                .withNewMetadata().withName(NAME).withNamespace(namespace)
                                .addToLabels(Manifests.MANAGED_BY, Manifests.MANAGER).endMetadata()
                                .addToData(dataKey, value).build()).create();
                    } else {
                        Map<String, String> data = live.getData() == null ? new HashMap<>() : new HashMap<>(live.getData());
                        data.put(dataKey, value);
                        live.setData(data);
                        client.configMaps().inNamespace(namespace).resource(live).update(); // fails on a newer resourceVersion
                    }
                    known.add(dataKey);
                    return true;
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409) {
                        throw e;
                    }
                    // someone else wrote the ledger meanwhile: read it again
                }
            }
            throw new DecisionStoreException(Reason.CLUSTER_FAILED, "ConfigMap/" + namespace + "/" + NAME
                    + ": could not record a notice after " + ATTEMPTS + " conflicting writes", null);
        } catch (KubernetesClientException e) {
            throw new DecisionStoreException(Reason.CLUSTER_FAILED, "ConfigMap/" + namespace + "/" + NAME
                    + ": could not read or write the notices sent: " + e.getMessage(), e);
        }
    }

    /** A valid ConfigMap data key for any notice key: {@code n-<first 32 hex of its SHA-256>}. */
    static String dataKey(String key) {
        return "n-" + Sha256.hex(key).substring(0, 32);
    }
}
