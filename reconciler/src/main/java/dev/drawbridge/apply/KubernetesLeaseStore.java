package dev.drawbridge.apply;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** {@link LeaseStore} over the Lease API ({@code coordination.k8s.io/v1}) with Fabric8. */
public final class KubernetesLeaseStore implements LeaseStore {

    private final KubernetesClient client;
    private final String namespace;

    KubernetesLeaseStore(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    @Override
    public Optional<LeaseRecord> read(String name) throws LeaseException {
        try {
            return Optional.ofNullable(client.leases().inNamespace(namespace).withName(name).get()).map(KubernetesLeaseStore::record);
        } catch (KubernetesClientException e) {
            throw failure("read", name, e);
        }
    }

    @Override
    public java.util.List<LeaseRecord> list() throws LeaseException {
        try {
            return client.leases().inNamespace(namespace).withLabel("app.kubernetes.io/managed-by", "drawbridge").list()
                    .getItems().stream().map(KubernetesLeaseStore::record).toList();
        } catch (KubernetesClientException e) {
            throw failure("list", "*", e);
        }
    }

    @Override
    public LeaseRecord create(LeaseRecord lease) throws LeaseException {
        try {
            return record(client.leases().inNamespace(namespace).resource(lease(lease, null)).create());
        } catch (KubernetesClientException e) {
            throw failure("create", lease.name(), e);
        }
    }

    @Override
    public LeaseRecord replace(LeaseRecord lease) throws LeaseException {
        try {
            return record(client.leases().inNamespace(namespace).resource(lease(lease, lease.resourceVersion())).update());
        } catch (KubernetesClientException e) {
            throw failure("write", lease.name(), e);
        }
    }

    private LeaseException failure(String what, String name, KubernetesClientException e) {
        boolean conflict = e.getCode() == 409;
        return new LeaseException("could not " + what + " Lease " + namespace + "/" + name + ": "
                + (conflict ? "another replica wrote it first" : e.getCode() == 0 ? e.getMessage() : "HTTP " + e.getCode()),
                conflict, e);
    }

    private Lease lease(LeaseRecord r, String resourceVersion) {
        LeaseSpec spec = new LeaseSpec();
        spec.setHolderIdentity(r.holder());
        spec.setLeaseDurationSeconds(r.durationSeconds());
        spec.setAcquireTime(time(r.acquireTime()));
        spec.setRenewTime(time(r.renewTime()));
        spec.setLeaseTransitions(r.transitions());
        Lease lease = new Lease();
        lease.setMetadata(new ObjectMetaBuilder().withName(r.name()).withNamespace(namespace)
                .withResourceVersion(resourceVersion)
                .addToLabels("app.kubernetes.io/managed-by", "drawbridge")
                .withAnnotations(r.annotations().isEmpty() ? null : new HashMap<>(r.annotations())).build());
        lease.setSpec(spec);
        return lease;
    }

    private static LeaseRecord record(Lease lease) {
        LeaseSpec spec = lease.getSpec() == null ? new LeaseSpec() : lease.getSpec();
        Map<String, String> annotations = lease.getMetadata().getAnnotations();
        return new LeaseRecord(lease.getMetadata().getName(), spec.getHolderIdentity(),
                spec.getLeaseDurationSeconds() == null ? 0 : spec.getLeaseDurationSeconds(), instant(spec.getAcquireTime()),
                instant(spec.getRenewTime()), spec.getLeaseTransitions() == null ? 0 : spec.getLeaseTransitions(),
                annotations, lease.getMetadata().getResourceVersion());
    }

    private static ZonedDateTime time(Instant instant) {
        return instant == null ? null : instant.atZone(ZoneOffset.UTC);
    }

    private static Instant instant(ZonedDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
