package dev.drawbridge.promotion;

import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.decision.DecisionRecord;
import dev.drawbridge.gate.Decision;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.reconcile.CheckOptions;
import dev.drawbridge.reconcile.ReconcilePipeline;
import dev.drawbridge.source.GitBranches;
import dev.drawbridge.source.SourceException;
import dev.drawbridge.values.CommitId;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * A promotion without a forge API ({@code git-notes}, {@code none}): the applied revision of the source merged
 * into the target branch in memory, the target's gate run on the merged tree, and the merge pushed only when
 * that gate passes (and only if the target branch did not move meanwhile). A merge with conflicts pushes
 * nothing and names the files.
 */
final class LocalPromotion {

    private final DrawbridgeConfig config;
    private final Edge edge;
    private final Candidate candidate;
    private final List<DecisionRecord.RecordedImage> targetApplied;
    private final GitBranches branches;
    private final ReconcilePipeline gate;
    private final Path trees;
    private final boolean push;

    LocalPromotion(DrawbridgeConfig config, Edge edge, Candidate candidate, List<DecisionRecord.RecordedImage> targetApplied,
                   GitBranches branches, ReconcilePipeline gate, Path trees, boolean push) {
        this.config = config;
        this.edge = edge;
        this.candidate = candidate;
        this.targetApplied = targetApplied;
        this.branches = branches;
        this.gate = gate;
        this.trees = trees;
        this.push = push;
    }

    PromotionResult run() {
        String revision = candidate.revision();
        String title = PromotionBody.title(edge, candidate);
        try {
            PromotionStart start = PromotionStart.fetch(branches, edge, candidate,
                    List.of(edge.source().branch(), edge.target().branch()));
            if (start.failed().isPresent()) {
                return start.failed().get();
            }
            String targetHead = start.heads().get(edge.target().branch());
            GitBranches.Merge merge = branches.merge(targetHead, revision, title + "\n\n" + candidate.decisionLink());
            if (merge instanceof GitBranches.Merge.UpToDate) {
                return PromotionResult.nothing(edge, revision, PromotionStart.alreadyHas(edge, candidate));
            }
            if (merge instanceof GitBranches.Merge.Conflicts conflicts) {
                return new PromotionResult(edge.toString(), PromotionResult.Action.CONFLICTS, revision, null, null,
                        conflicts.files(), title, "", List.of(), "merging " + edge.source().name() + "@"
                        + candidate.shortSha() + " into " + edge.target().branch() + " conflicts in "
                        + String.join(", ", conflicts.files()) + "; nothing pushed");
            }
            String commit = merge instanceof GitBranches.Merge.FastForward ff ? ff.commit()
                    : ((GitBranches.Merge.Merged) merge).commit();
            List<String> changed = branches.changedFiles(targetHead, commit);

            // the target's gate on the merged tree, before anything is pushed
            GateReport report = gateOnTree(commit);
            String body = PromotionBody.render(edge, candidate, report, targetApplied, changed, List.of(), false);
            Decision decision = report.result().decision();
            List<String> reasons = PromotionBody.reasons(report);
            if (decision != Decision.PASS) {
                return new PromotionResult(edge.toString(), PromotionResult.Action.BLOCKED, revision, null, decision, reasons,
                        title, body, List.of(), edge.target().name() + "'s gate " + (decision == Decision.BLOCK ? "blocks"
                        : "could not check") + " " + edge.source().name() + "@" + candidate.shortSha()
                        + "; nothing pushed");
            }
            if (!push) {
                return new PromotionResult(edge.toString(), PromotionResult.Action.WOULD_MERGE, revision, null, decision,
                        reasons, title, body, List.of(), "would merge " + edge.source().name() + "@" + candidate.shortSha()
                        + " into " + edge.target().branch() + " (run drawbridge promote)");
            }
            GitBranches.Push pushed = branches.push(edge.target().branch(), commit, targetHead);
            if (pushed == GitBranches.Push.MOVED_MEANWHILE) {
                return PromotionResult.failed(edge, revision, "branch " + edge.target().branch()
                        + " was pushed by someone else meanwhile; nothing pushed, run promote again");
            }
            return new PromotionResult(edge.toString(), PromotionResult.Action.MERGED, revision, null, decision, reasons,
                    title, body, List.of(), "merged " + edge.source().name() + "@" + candidate.shortSha() + " into "
                    + edge.target().branch() + " at " + commit.substring(0, 12));
        } catch (SourceException e) {
            return PromotionResult.failed(edge, revision, e.getMessage());
        }
    }

    private GateReport gateOnTree(String commit) throws SourceException {
        Path dir = trees.resolve(commit);
        deleteQuietly(dir);
        try {
            branches.materialise(commit, dir);
            GateReport report = gate.check(config, edge.target(), new CheckOptions(dir.resolve(edge.target().path()), false)).report();
            return new GateReport(report.environment(), CommitId.of(commit), report.policyRevision(), edge.target().path(), report.result());
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException ignored) {
            // a leftover tree in the work directory; the next run replaces it
        }
    }
}
