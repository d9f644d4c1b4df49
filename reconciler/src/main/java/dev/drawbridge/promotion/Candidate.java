package dev.drawbridge.promotion;

import dev.drawbridge.decision.DecisionRecord;

import java.util.List;
import java.util.Objects;

/**
 * What may be promoted along an edge: the revision its source environment last applied with PASS (with
 * {@code wait: true}, only once its workloads were healthy: a record says applied only then), read from the
 * source's decision records; never the source branch's later head.
 *
 * @param revision     the applied commit sha
 * @param images       the images of that decision with the digests they were verified at
 * @param decisionLink {@code <dashboard-url>/environments/<source>/decisions/<sha>}
 */
public record Candidate(String revision, List<DecisionRecord.RecordedImage> images, String decisionLink) {

    public Candidate {
        Objects.requireNonNull(revision, "revision");
        images = List.copyOf(images);
    }

    /** The first seven characters of the revision, as Git shows a short sha. */
    public String shortSha() {
        return revision.substring(0, Math.min(7, revision.length()));
    }
}
