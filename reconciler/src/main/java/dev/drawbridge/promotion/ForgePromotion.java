package dev.drawbridge.promotion;

import dev.drawbridge.decision.DecisionRecord;
import dev.drawbridge.gate.Decision;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.reconcile.PullRequestChecks;
import dev.drawbridge.report.forge.ForgeException;
import dev.drawbridge.report.forge.PullRequest;
import dev.drawbridge.report.forge.PullRequests;
import dev.drawbridge.source.GitBranches;
import dev.drawbridge.source.SourceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One run of a promotion request on a forge with a pull-request API: the candidate against the target branch
 * (caught up: close the request), the promotion branch set to the candidate (restored when someone else moved
 * it), the target's gate on its head (posted as the status {@code drawbridge/<target>} through the pull-request
 * check path), the one open request found on the forge and opened or updated, and with {@code auto-merge} merged
 * only when that gate passed on exactly that head.
 */
final class ForgePromotion {

    private static final Logger log = LoggerFactory.getLogger(ForgePromotion.class);

    private final Edge edge;
    private final Candidate candidate;
    private final List<DecisionRecord.RecordedImage> targetApplied;
    private final GitBranches branches;
    private final PullRequests forge;
    private final PullRequestChecks checks;
    private final boolean autoMerge;
    private final PullRequest.MergeMethod method;
    private final List<String> notes = new ArrayList<>();

    ForgePromotion(Edge edge, Candidate candidate, List<DecisionRecord.RecordedImage> targetApplied, GitBranches branches,
                   PullRequests forge, PullRequestChecks checks, boolean autoMerge, PullRequest.MergeMethod method) {
        this.edge = edge;
        this.candidate = candidate;
        this.targetApplied = targetApplied;
        this.branches = branches;
        this.forge = forge;
        this.checks = checks;
        this.autoMerge = autoMerge;
        this.method = method;
    }

    PromotionResult run() {
        String revision = candidate.revision();
        String title = PromotionBody.title(edge, candidate);
        try {
            // where the branches are
            PromotionStart start = PromotionStart.fetch(branches, edge, candidate,
                    List.of(edge.source().branch(), edge.target().branch(), edge.branch()));
            if (start.failed().isPresent()) {
                return start.failed().get();
            }
            Map<String, String> heads = start.heads();
            String targetHead = heads.get(edge.target().branch());

            // does the target have it already? Then no request stays open
            GitBranches.Merge merge = branches.merge(targetHead, revision, title);
            Optional<PullRequest> open = forge.findOpen(edge.branch(), edge.target().branch());
            if (merge instanceof GitBranches.Merge.UpToDate) {
                if (open.isPresent()) {
                    forge.close(open.get());
                    return result(PromotionResult.Action.CLOSED, open.get().url(), null, title, "",
                            PromotionStart.alreadyHas(edge, candidate) + "; request closed");
                }
                return PromotionResult.nothing(edge, revision, PromotionStart.alreadyHas(edge, candidate));
            }
            List<String> conflicts = merge instanceof GitBranches.Merge.Conflicts c ? c.files() : List.of();
            List<String> changed = branches.changedFiles(targetHead,
                    merge instanceof GitBranches.Merge.Merged m ? m.commit() : revision);

            // the promotion branch at exactly the applied revision
            String pushed = moveBranch(heads.get(edge.branch()), revision);
            if (pushed != null) {
                return PromotionResult.failed(edge, revision, pushed);
            }

            // the target's gate on the head, posted as drawbridge/<target> like any pull request's
            GateReport gate = checks.check(new PullRequestChecks.Request(edge.target(), "refs/heads/" + edge.branch(), revision));
            if (gate.revision() == null || !revision.equals(gate.revision().hex())) {
                return PromotionResult.failed(edge, revision, "branch " + edge.branch() + " moved while "
                        + edge.target().name() + "'s gate ran (at " + gate.revision() + "); the next run checks it again");
            }
            String body = PromotionBody.render(edge, candidate, gate, targetApplied, changed, conflicts, true);

            // exactly one open request for the edge
            PromotionResult.Action action;
            PullRequest request;
            if (open.isEmpty()) {
                request = forge.open(edge.branch(), edge.target().branch(), title, body);
                action = PromotionResult.Action.OPENED;
                if (!same(request, title, body)) {
                    // the forge said one exists already (another replica, a run cut short): that one is brought up to date
                    request = forge.update(request, title, body);
                    action = PromotionResult.Action.UPDATED;
                }
            } else if (same(open.get(), title, body)) {
                request = open.get();
                action = PromotionResult.Action.UNCHANGED;
            } else {
                request = forge.update(open.get(), title, body);
                action = PromotionResult.Action.UPDATED;
            }
            Decision decision = gate.result().decision();
            if (autoMerge && decision == Decision.PASS && conflicts.isEmpty()) {
                forge.merge(request, revision, method, title);
                return result(PromotionResult.Action.MERGED, request.url(), gate, title, body,
                        "merged " + edge.source().name() + "@" + candidate.shortSha() + " into " + edge.target().branch());
            }
            String why = decision == Decision.PASS ? (conflicts.isEmpty() ? "" : "; conflicts: " + String.join(", ", conflicts))
                    : "; " + edge.target().name() + "'s gate: " + decision;
            return result(action, request.url(), gate, title, body, action.word() + " " + request.url() + why);
        } catch (SourceException e) {
            return PromotionResult.failed(edge, revision, e.getMessage());
        } catch (ForgeException e) {
            return PromotionResult.failed(edge, revision, e.getMessage() + (e.retryable() ? " (retried at the next run)" : ""));
        }
    }

    /** Sets the promotion branch to {@code revision}; returns why it could not, or null. */
    private String moveBranch(String current, String revision) throws SourceException {
        if (revision.equals(current)) {
            return null;
        }
        if (current != null && !branches.contains(revision, current)) {
            // not an older candidate: someone else pushed or force-pushed the branch
            String note = "branch " + edge.branch() + " had been moved to " + current.substring(0, 12)
                    + " by someone else; restored to " + edge.source().name() + "@" + candidate.shortSha();
            notes.add(note);
            log.warn("{}: {}", edge, note);
        }
        GitBranches.Push push = branches.push(edge.branch(), revision, current);
        if (push == GitBranches.Push.MOVED_MEANWHILE) {
            return "branch " + edge.branch() + " was pushed by someone else meanwhile; the next run tries again";
        }
        return null;
    }

    private static boolean same(PullRequest request, String title, String body) {
        return request.title().equals(title) && normalise(request.body()).equals(normalise(body));
    }

    private static String normalise(String text) {
        return text.replace("\r\n", "\n").strip();
    }

    private PromotionResult result(PromotionResult.Action action, String url, GateReport gate, String title, String body,
                                   String message) {
        return new PromotionResult(edge.toString(), action, candidate.revision(), url,
                gate == null ? null : gate.result().decision(), gate == null ? List.of() : PromotionBody.reasons(gate),
                title, body, notes, message);
    }
}
