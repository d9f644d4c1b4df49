package dev.drawbridge.apply.health;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.apply.ObjectRef;

/**
 * Whether a live workload has rolled out, from its status, as {@code kubectl rollout status} decides:
 * Deployments, StatefulSets and DaemonSets rolled out per their status, Jobs complete.
 */
public final class Health {

    /** The health of one object: ready, or not (yet) with a reason a human can act on. */
    public record State(boolean healthy, boolean failed, String detail) {
        static final State HEALTHY = new State(true, false, "healthy");

        static State progressing(String detail) {
            return new State(false, false, detail);
        }

        static State failed(String detail) {
            return new State(false, true, detail);
        }
    }

    private Health() {
    }

    /** Whether Drawbridge checks the health of this kind of object. */
    public static boolean isChecked(ObjectRef ref) {
        return ref.is("apps", "Deployment") || ref.is("apps", "StatefulSet") || ref.is("apps", "DaemonSet")
                || ref.is("batch", "Job");
    }

    public static State of(ObjectRef ref, JsonNode live) {
        if (live == null) {
            return State.progressing("not found");
        }
        JsonNode status = live.path("status");
        long generation = live.path("metadata").path("generation").asLong(0);
        long observed = status.path("observedGeneration").asLong(0);
        if (!ref.is("batch", "Job") && observed < generation) {
            return State.progressing("generation " + generation + " not observed yet (observed " + observed + ")");
        }
        return switch (ref.kind()) {
            case "Deployment" -> deployment(live, status);
            case "StatefulSet" -> statefulSet(live, status);
            case "DaemonSet" -> daemonSet(status);
            case "Job" -> job(status);
            default -> State.HEALTHY;
        };
    }

    private static State deployment(JsonNode live, JsonNode status) {
        for (JsonNode condition : status.path("conditions")) {
            if ("Progressing".equals(condition.path("type").asText())
                    && "ProgressDeadlineExceeded".equals(condition.path("reason").asText())) {
                return State.failed("progress deadline exceeded");
            }
        }
        long replicas = live.path("spec").path("replicas").asLong(1);
        long updated = status.path("updatedReplicas").asLong(0);
        long available = status.path("availableReplicas").asLong(0);
        if (updated != replicas) {
            return State.progressing(updated + "/" + replicas + " replicas updated");
        }
        if (available != replicas) {
            return State.progressing(available + "/" + replicas + " replicas available");
        }
        return State.HEALTHY;
    }

    private static State statefulSet(JsonNode live, JsonNode status) {
        long replicas = live.path("spec").path("replicas").asLong(1);
        long ready = status.path("readyReplicas").asLong(0);
        if (ready != replicas) {
            return State.progressing(ready + "/" + replicas + " replicas ready");
        }
        String update = status.path("updateRevision").asText("");
        if (!update.isEmpty() && !update.equals(status.path("currentRevision").asText(""))) {
            return State.progressing("revision " + update + " not rolled out to every replica");
        }
        return State.HEALTHY;
    }

    private static State daemonSet(JsonNode status) {
        long desired = status.path("desiredNumberScheduled").asLong(0);
        long updated = status.path("updatedNumberScheduled").asLong(0);
        long ready = status.path("numberReady").asLong(0);
        if (updated != desired) {
            return State.progressing(updated + "/" + desired + " pods updated");
        }
        if (ready != desired) {
            return State.progressing(ready + "/" + desired + " pods ready");
        }
        return State.HEALTHY;
    }

    private static State job(JsonNode status) {
        for (JsonNode condition : status.path("conditions")) {
            if ("True".equals(condition.path("status").asText())) {
                switch (condition.path("type").asText()) {
                    case "Complete":
                        return State.HEALTHY;
                    case "Failed":
                        return State.failed("failed: " + condition.path("reason").asText("unknown reason"));
                    default:
                        break;
                }
            }
        }
        return State.progressing("not complete");
    }
}
