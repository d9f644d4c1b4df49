package dev.drawbridge.cli;

import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.promotion.Edge;
import dev.drawbridge.promotion.PromotionResult;
import dev.drawbridge.promotion.Promoter;
import dev.drawbridge.reconcile.Clusters;
import dev.drawbridge.reconcile.CommitStatuses;
import dev.drawbridge.reconcile.Engines;
import dev.drawbridge.reconcile.PullRequestChecks;
import dev.drawbridge.reconcile.Stages;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/** {@code drawbridge promote}: brings the promotion request of one environment up to date once (docs/promotion.md). */
final class PromoteCommand extends Command {

    static final String HELP = """
            Usage: drawbridge promote --config FILE --env NAME

            Brings the promotion of environment NAME (which has promote-from: X) up to date once: the
            revision X last applied with PASS is proposed to NAME's branch. With a forge API (github, gitlab,
            gitea) one promotion request is opened, updated, closed when NAME caught up, and merged with
            promotion: auto-merge once NAME's gate passes on its head. With git-notes or none the revision is
            merged into NAME's branch and pushed, only when NAME's gate passes on the merged tree.
            Prints what it did: opened, updated, unchanged, merged, closed, nothing to promote, or why not.

              --config FILE   configuration file (YAML)
              --env NAME      the environment promoted to
              --help          this help

            Exit codes: 0 done or nothing to do, 1 NAME's gate blocks the candidate, 2 an error
            (a merge with conflicts, an unreachable forge or repository).
            """;

    private static final Set<String> VALUED = Set.of("--config", "--env");
    private static final Set<String> FLAGS = Set.of("--help");

    PromoteCommand(PrintWriter out, PrintWriter err) {
        super(out, err, new Options(VALUED, FLAGS, HELP));
    }

    @Override
    int run(Arguments a) throws Exception {
        Path config = Path.of(a.required("--config"));
        String name = a.required("--env");
        DrawbridgeConfig cfg = config(config);
        EnvironmentConfig environment = environment(cfg, name, config);
        Optional<Edge> edge = Edge.into(cfg, environment.name());
        if (edge.isEmpty()) {
            err.println(config + ": environment " + name + " has no promote-from: nothing is promoted to it");
            return Main.ERROR;
        }
        if (cfg.forge().type().hasApi() && environment.promotion() == EnvironmentConfig.Promotion.NONE) {
            err.println(config + ": environment " + name + " has promotion: none (set pull-request or auto-merge)");
            return Main.ERROR;
        }
        Clock clock = Clock.systemUTC();
        Path work = Files.createTempDirectory("drawbridge-promote-");
        try (Clusters clusters = new Clusters(); CommitStatuses statuses = CommitStatuses.fromConfig(cfg, work)) {
            Stages stages = Engines.stages(cfg, clock);
            PromotionResult result;
            try (PullRequestChecks checks = new PullRequestChecks(cfg, stages, clusters, statuses, work, (r, g) -> { });
                 Promoter promoter = new Promoter(cfg, stages, clusters, checks, Promoter.forgeOf(cfg, clock), work)) {
                result = promoter.promote(edge.get(), true);
            }
            print(result);
            if (!statuses.flush(ReconcileCommand.STATUS_FLUSH)) {
                err.println("drawbridge promote: some commit statuses could not be posted within "
                        + ReconcileCommand.STATUS_FLUSH.toSeconds() + "s");
            }
            return result.exitCode();
        } finally {
            WorkDirs.deleteQuietly(work);
        }
    }

    private void print(PromotionResult result) {
        out.println("promote " + result.edge() + ": " + result.action().word()
                + (result.message().isEmpty() ? "" : " — " + result.message()));
        result.notes().forEach(note -> out.println("  note: " + note));
        if (result.title() != null && !result.body().isEmpty()) {
            out.println();
            out.println(result.title());
            out.println();
            out.print(result.body());
        }
        out.flush();
        if (result.action() == PromotionResult.Action.FAILED || result.action() == PromotionResult.Action.CONFLICTS) {
            err.println("drawbridge promote: " + result.message());
        } else if (result.exitCode() != Main.OK) {
            result.reasons().forEach(reason -> err.println("  " + reason));
        }
    }
}
