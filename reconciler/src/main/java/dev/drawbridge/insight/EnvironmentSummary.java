package dev.drawbridge.insight;

import dev.drawbridge.gate.Decision;

import java.util.List;
import java.util.Objects;

/**
 * One environment as the views see it (a dashboard card).
 *
 * @param name           the environment's name
 * @param order          its place in the promotion chain (higher: closer to production)
 * @param revision       the head judged; null when unknown
 * @param policyRevision the policy revision; null when unknown
 * @param decision       the gate's decision on the head
 * @param imagesKnown    false for a decision ERROR: its images are unknown, never counted as passing
 * @param teams          the owners of its workloads ({@code unowned} included when some have none), sorted
 * @param blockedBy      the findings that block it, most important first (the {@code finding} of priorities)
 * @param errors         what could not be checked, one line each
 */
public record EnvironmentSummary(String name, int order, String revision, String policyRevision, Decision decision,
                                 boolean imagesKnown, List<String> teams, List<String> blockedBy, List<String> errors) {

    public EnvironmentSummary {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(decision, "decision");
        teams = List.copyOf(teams);
        blockedBy = List.copyOf(blockedBy);
        errors = List.copyOf(errors);
    }
}
