package dev.drawbridge.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.apply.Applier;
import dev.drawbridge.apply.ApplyException;
import dev.drawbridge.apply.ApplyRequest;
import dev.drawbridge.apply.PlannedChanges;
import dev.drawbridge.config.EnvironmentConfig;

import java.util.List;
import java.util.function.Function;

/**
 * What merging a pull request would change in its environment's cluster: the objects rendered from its
 * head, pinned to the digests the gate verified (as a reconcile would apply them), compared with the live
 * cluster and the environment's inventory, the new and changed ones sent as a server-side dry run
 * ({@link Applier#preview}). Writes nothing. Where the cluster cannot be read, says so and counts what
 * would be applied.
 */
final class MergePreview {

    /** The planned changes (null when not known) and how they were worked out, or why they are not known. */
    record Result(PlannedChanges changes, String note) {
    }

    private final Stages stages;
    private final Function<EnvironmentConfig, Applier> appliers;

    /** @param appliers the applier of each environment's cluster; null: no cluster is asked */
    MergePreview(Stages stages, Function<EnvironmentConfig, Applier> appliers) {
        this.stages = stages;
        this.appliers = appliers;
    }

    Result preview(EnvironmentConfig env, Checked outcome) {
        if (outcome.failure() != null) {
            return new Result(null, "Not known: the head could not be rendered and verified (" + outcome.failure() + ").");
        }
        List<ObjectNode> objects = outcome.objects();
        List<ObjectNode> pinned;
        try {
            pinned = stages.inspector().pin(objects, PinStage.pins(outcome.report()));
        } catch (IllegalArgumentException e) {
            pinned = objects; // an image that could not be pinned is shown as written
        }
        String rendered = objects.size() + " object" + (objects.size() == 1 ? "" : "s") + " rendered";
        if (appliers == null) {
            return new Result(null, "Merging would apply the " + rendered + "; no cluster is configured to compare them with.");
        }
        try {
            PlannedChanges planned = appliers.apply(env).preview(new ApplyRequest(env.name(), pinned, env.prune(),
                    env.allowEmpty(), false, env.healthTimeout()));
            return new Result(planned, "compared with the live cluster and the inventory of " + env.name()
                    + "; new and changed objects sent as a server-side dry run");
        } catch (ApplyException | RuntimeException e) {
            return new Result(null, "The cluster of " + env.name() + " could not be read (" + e.getMessage()
                    + "): merging would apply the " + rendered + "; which of them are new or changed is not known.");
        }
    }
}
