package dev.drawbridge.promotion;

import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.config.ForgeConfig;
import dev.drawbridge.decision.DecisionRecord;
import dev.drawbridge.decision.DecisionStoreException;
import dev.drawbridge.reconcile.DecisionStores;
import dev.drawbridge.reconcile.PullRequestChecks;
import dev.drawbridge.reconcile.ReconcilePipeline;
import dev.drawbridge.reconcile.Remotes;
import dev.drawbridge.reconcile.Stages;
import dev.drawbridge.report.forge.PullRequest;
import dev.drawbridge.report.forge.PullRequestApis;
import dev.drawbridge.report.forge.PullRequests;
import dev.drawbridge.retry.Sleeper;
import dev.drawbridge.source.GitBranches;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Brings the promotion of one edge up to date once: through the forge's pull-request API where it has one
 * ({@link ForgePromotion}), else by merging locally ({@link LocalPromotion}). Used by {@code promote} and, after
 * reconciles, by {@code serve} ({@link Promotions}).
 */
public final class Promoter implements AutoCloseable {

    private final DrawbridgeConfig config;
    private final DecisionStores stores;
    private final GitBranches branches;
    private final Optional<PullRequests> forge;
    private final PullRequestChecks checks;
    private final ReconcilePipeline gate;
    private final Path workDir;
    private final String dashboard;

    /**
     * @param checks  the pull-request check path: the promotion request's head gets the target's status through it
     * @param forge   the forge's pull-request API; empty for {@code git-notes} and {@code none} (local merges)
     * @param workDir a private directory (the bare repository of the promotion branches, merged trees)
     */
    public Promoter(DrawbridgeConfig config, Stages stages, DecisionStores stores, PullRequestChecks checks,
                    Optional<PullRequests> forge, Path workDir) {
        this.config = config;
        this.stores = stores;
        this.forge = forge;
        this.checks = checks;
        this.workDir = workDir;
        this.branches = new GitBranches(Remotes.of(config.git()), workDir.resolve("promotion"));
        this.gate = ReconcilePipeline.checks(stages, workDir.resolve("promotion-gate"), stores, null);
        String base = config.dashboardUrl() == null ? "http://localhost:8080" : config.dashboardUrl().toString();
        this.dashboard = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** The pull-request API of {@code forge:}, with its token read at use; empty for git-notes and none. */
    public static Optional<PullRequests> forgeOf(DrawbridgeConfig config, Clock clock) {
        ForgeConfig forge = config.forge();
        if (forge == null || !forge.type().hasApi()) {
            return Optional.empty();
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        return Optional.of(PullRequestApis.create(forge.type().kind(), forge.apiUrl(), forge.repository(),
                forge.tokenFile() == null ? () -> "" : forge.tokenFile()::read, http, clock, Sleeper.SYSTEM));
    }

    /**
     * Brings the promotion into {@code edge.target()} up to date once.
     *
     * @param merge for a local promotion (no forge API): push the merge when the gate passes; false only
     *              previews it ({@link PromotionResult.Action#WOULD_MERGE}). Ignored with a forge API, where
     *              {@code promotion: auto-merge} decides.
     */
    public PromotionResult promote(Edge edge, boolean merge) {
        Optional<Candidate> candidate;
        try {
            candidate = candidate(edge.source());
        } catch (DecisionStoreException | RuntimeException e) {
            return PromotionResult.failed(edge, null, "could not read the decision records of " + edge.source().name()
                    + ": " + e.getMessage());
        }
        if (candidate.isEmpty()) {
            return PromotionResult.nothing(edge, null, edge.source().name() + " has applied no revision with PASS yet");
        }
        List<DecisionRecord.RecordedImage> targetApplied = targetApplied(edge.target());
        if (forge.isPresent()) {
            PullRequest.MergeMethod method = PullRequest.MergeMethod.valueOf(config.forge().mergeMethod().name());
            return new ForgePromotion(edge, candidate.get(), targetApplied, branches, forge.get(), checks,
                    edge.target().promotion() == EnvironmentConfig.Promotion.AUTO_MERGE, method).run();
        }
        return new LocalPromotion(config, edge, candidate.get(), targetApplied, branches, gate,
                workDir.resolve("promotion-trees"), merge).run();
    }

    private Optional<Candidate> candidate(EnvironmentConfig source) throws DecisionStoreException {
        Optional<DecisionRecord> applied = stores.of(source).latestApplied(source.name());
        return applied.filter(r -> r.revision() != null && DecisionRecord.PASS.equals(r.decision()))
                .map(r -> new Candidate(r.revision(), r.images(),
                        dashboard + "/environments/" + source.name() + "/decisions/" + r.revision()));
    }

    /** The images the target runs now (its last applied decision); null when that cannot be read. */
    private List<DecisionRecord.RecordedImage> targetApplied(EnvironmentConfig target) {
        try {
            return stores.of(target).latestApplied(target.name()).map(DecisionRecord::images).orElse(List.of());
        } catch (DecisionStoreException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void close() {
        branches.close();
    }
}
