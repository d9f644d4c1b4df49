package dev.drawbridge.promotion;

import dev.drawbridge.gate.Decision;

import java.util.List;
import java.util.Objects;

/**
 * What one promotion run did for one edge.
 *
 * @param edge       {@code source -> target}
 * @param action     what was done
 * @param revision   the revision the source applied with PASS (the candidate); null when there is none
 * @param requestUrl the promotion request's page; null without one
 * @param gate       the target's gate decision on the candidate; null when it was not run
 * @param reasons    why the gate blocks or errs, one line each; or the conflicting files
 * @param title      the request's title (also of a local merge commit); null without a candidate
 * @param body       the request's description: the table of images and what changes; empty without a candidate
 * @param notes      what else happened, e.g. the promotion branch restored after someone moved it
 * @param message    one line saying what was done or why not
 */
public record PromotionResult(String edge, Action action, String revision, String requestUrl, Decision gate,
                              List<String> reasons, String title, String body, List<String> notes, String message) {

    public PromotionResult {
        Objects.requireNonNull(edge, "edge");
        Objects.requireNonNull(action, "action");
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
        notes = notes == null ? List.of() : List.copyOf(notes);
        body = body == null ? "" : body;
        message = message == null ? "" : message;
    }

    /** What a run did, as {@code promote} prints it. */
    public enum Action {
        OPENED("opened"), UPDATED("updated"), UNCHANGED("unchanged"), MERGED("merged"), CLOSED("closed"),
        NOTHING_TO_PROMOTE("nothing to promote"),
        /** A local promotion whose gate passes, not pushed (a preview). */
        WOULD_MERGE("would merge"),
        /** A local promotion the target's gate blocks (or errs on): nothing pushed. */
        BLOCKED("blocked"),
        /** A local merge stopped on conflicts: nothing pushed. */
        CONFLICTS("conflicts"),
        /** The run could not finish (forge, Git or decision records); the next run tries again. */
        FAILED("error");

        private final String word;

        Action(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    /** 0 done or nothing to do, 1 the target's gate blocks the candidate, 2 an error (docs/promotion.md). */
    public int exitCode() {
        if (action == Action.FAILED || action == Action.CONFLICTS || gate == Decision.ERROR) {
            return 2;
        }
        return gate == Decision.BLOCK || action == Action.BLOCKED ? 1 : 0;
    }

    static PromotionResult failed(Edge edge, String revision, String message) {
        return new PromotionResult(edge.toString(), Action.FAILED, revision, null, null, List.of(), null, null,
                List.of(), message);
    }

    static PromotionResult nothing(Edge edge, String revision, String message) {
        return new PromotionResult(edge.toString(), Action.NOTHING_TO_PROMOTE, revision, null, null, List.of(), null, null,
                List.of(), message);
    }
}
