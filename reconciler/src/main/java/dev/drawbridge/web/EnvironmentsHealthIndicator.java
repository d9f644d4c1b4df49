package dev.drawbridge.web;

import dev.drawbridge.reconcile.EnvironmentStatus;
import dev.drawbridge.reconcile.Reason;
import dev.drawbridge.reconcile.ReconcileLoop;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Health contributor {@code environments}: UP when every environment's last reconcile worked (applied,
 * or blocked: the gate working is not a failure), DOWN when one failed, OUT_OF_SERVICE while an
 * environment has not finished its first reconcile. The details name each environment's last outcome.
 * It is part of the readiness group: a replica is ready once it has decided about every environment.
 */
final class EnvironmentsHealthIndicator implements HealthIndicator {

    private final ReconcileLoop loop;

    EnvironmentsHealthIndicator(ReconcileLoop loop) {
        this.loop = loop;
    }

    @Override
    public Health health() {
        boolean failed = false;
        boolean pending = false;
        Map<String, Object> details = new LinkedHashMap<>();
        for (EnvironmentStatus s : loop.statuses().values()) {
            failed |= s.last() != null && !s.healthy();
            pending |= s.last() == null;
            details.put(s.environment().value(), details(s));
        }
        Status status = failed ? Status.DOWN : pending ? Status.OUT_OF_SERVICE : Status.UP;
        return Health.status(status).withDetails(details).build();
    }

    private static Map<String, Object> details(EnvironmentStatus s) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("outcome", Outcomes.kind(s.last()));
        Reason reason = Outcomes.reason(s.last());
        if (reason != null) {
            d.put("reason", reason.name());
        }
        if (s.last() != null) {
            d.put("decision", s.last().report().result().decision().name());
            if (s.last().report().revision() != null) {
                d.put("revision", s.last().report().revision().hex());
            }
            d.put("message", Outcomes.message(s.last()));
            d.put("finishedAt", s.finishedAt().toString());
        }
        d.put("consecutiveFailures", s.consecutiveFailures());
        return d;
    }
}
