package dev.drawbridge.promotion;

import dev.drawbridge.source.GitBranches;
import dev.drawbridge.source.SourceException;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What every promotion starts with, through a forge or not: the edge's branches fetched, then the target branch
 * must exist and the candidate must still be in its source branch; otherwise the failure that ends the run.
 *
 * @param heads   the head of each fetched branch (a branch that does not exist has none)
 * @param failure why the promotion cannot go on, or null
 */
record PromotionStart(Map<String, String> heads, PromotionResult failure) {

    /** Fetches {@code branches} (the edge's source and target first) and checks the target and the candidate. */
    static PromotionStart fetch(GitBranches git, Edge edge, Candidate candidate, List<String> branches)
            throws SourceException {
        Map<String, String> heads = git.fetch(branches);
        String revision = candidate.revision();
        if (heads.get(edge.target().branch()) == null) {
            return new PromotionStart(heads, PromotionResult.failed(edge, revision,
                    "branch " + edge.target().branch() + " does not exist"));
        }
        if (!git.has(revision)) {
            return new PromotionStart(heads, PromotionResult.failed(edge, revision, edge.source().name() + " applied "
                    + revision + ", which is no longer in branch " + edge.source().branch()));
        }
        return new PromotionStart(heads, null);
    }

    Optional<PromotionResult> failed() {
        return Optional.ofNullable(failure);
    }

    /** {@code target} already has {@code source@sha}: what a promotion with nothing to merge says. */
    static String alreadyHas(Edge edge, Candidate candidate) {
        return edge.target().name() + " already has " + edge.source().name() + "@" + candidate.shortSha();
    }
}
