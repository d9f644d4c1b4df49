package dev.drawbridge.apply.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.apply.ApplyException;
import dev.drawbridge.apply.ApplyException.Reason;
import dev.drawbridge.apply.ApplyOrder;
import dev.drawbridge.apply.ChangeSet;
import dev.drawbridge.apply.Cluster;
import dev.drawbridge.apply.KubernetesApplier;
import dev.drawbridge.apply.KubernetesApplier.Failure;
import dev.drawbridge.apply.ObjectRef;
import dev.drawbridge.retry.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The waits of an apply: applied CRDs established, applied workloads healthy; polling on the injected clock. */
public final class Waits {

    private static final Logger log = LoggerFactory.getLogger(Waits.class);

    private final Cluster cluster;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration crdEstablishTimeout;
    private final Duration pollInterval;

    public Waits(Cluster cluster, Clock clock, Sleeper sleeper, Duration crdEstablishTimeout, Duration pollInterval) {
        this.cluster = cluster;
        this.clock = clock;
        this.sleeper = sleeper;
        this.crdEstablishTimeout = crdEstablishTimeout;
        this.pollInterval = pollInterval;
    }

    /** Waits until the CRDs among {@code applied} report Established=True; the ones that did not are failures. */
    public List<Failure> crdsEstablished(List<ObjectRef> applied) throws ApplyException {
        List<ObjectRef> pending = new ArrayList<>(applied.stream().filter(ApplyOrder::isCrd).toList());
        Instant deadline = clock.instant().plus(crdEstablishTimeout);
        while (true) {
            pending.removeIf(this::isEstablished);
            if (pending.isEmpty()) {
                return List.of();
            }
            if (!clock.instant().isBefore(deadline)) {
                return pending.stream().map(ref -> new Failure(ref, "not established after "
                        + readable(crdEstablishTimeout))).toList();
            }
            pause(deadline, ChangeSet.empty());
        }
    }

    private boolean isEstablished(ObjectRef crd) {
        try {
            ObjectNode live = cluster.get(crd);
            if (live == null) {
                return false;
            }
            for (JsonNode condition : live.path("status").path("conditions")) {
                if ("Established".equals(condition.path("type").asText()) && "True".equals(condition.path("status").asText())) {
                    return true;
                }
            }
            return false;
        } catch (RuntimeException e) {
            log.debug("{}: cannot read: {}", crd.id(), Cluster.describe(crd, e));
            return false;
        }
    }

    /** Waits until the workloads among {@code applied} are healthy; past {@code timeout} a HEALTH_FAILED naming the others. */
    public void healthy(List<ObjectRef> applied, Duration timeout, ChangeSet changeSet) throws ApplyException {
        List<ObjectRef> workloads = applied.stream().filter(Health::isChecked).toList();
        Instant deadline = clock.instant().plus(timeout);
        while (true) {
            Map<ObjectRef, Health.State> unhealthy = new LinkedHashMap<>();
            for (ObjectRef ref : workloads) {
                Health.State state;
                try {
                    state = Health.of(ref, cluster.get(ref));
                } catch (RuntimeException e) {
                    state = Health.State.progressing("cannot read: " + Cluster.describe(ref, e));
                }
                if (state.failed()) {
                    throw KubernetesApplier.failure(Reason.HEALTH_FAILED, List.of(new Failure(ref, state.detail())), changeSet);
                }
                if (!state.healthy()) {
                    unhealthy.put(ref, state);
                }
            }
            if (unhealthy.isEmpty()) {
                return;
            }
            if (!clock.instant().isBefore(deadline)) {
                List<Failure> failures = unhealthy.entrySet().stream().map(e -> new Failure(e.getKey(),
                        "not healthy after " + readable(timeout) + ": " + e.getValue().detail())).toList();
                throw KubernetesApplier.failure(Reason.HEALTH_FAILED, failures, changeSet);
            }
            pause(deadline, changeSet);
        }
    }

    private void pause(Instant deadline, ChangeSet changeSet) throws ApplyException {
        Duration left = Duration.between(clock.instant(), deadline);
        try {
            sleeper.sleep(left.compareTo(pollInterval) < 0 ? left : pollInterval);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApplyException(Reason.HEALTH_FAILED, List.of(), "interrupted while waiting", changeSet, e);
        }
    }

    /** {@code 5m}, {@code 90s}, {@code 250ms}. */
    static String readable(Duration duration) {
        if (duration.toMillis() % 1000 != 0) {
            return duration.toMillis() + "ms";
        }
        long seconds = duration.toSeconds();
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }
}
