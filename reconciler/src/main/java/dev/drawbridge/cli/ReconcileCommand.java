package dev.drawbridge.cli;

import dev.drawbridge.apply.ChangeSetEntry;
import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.reconcile.Clusters;
import dev.drawbridge.reconcile.CommitStatuses;
import dev.drawbridge.reconcile.Engines;
import dev.drawbridge.reconcile.ReconcileOutcome;
import dev.drawbridge.reconcile.Ownership;
import dev.drawbridge.reconcile.ReconcilePipeline;
import dev.drawbridge.report.StatusDescription;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code drawbridge reconcile --once}: reconciles each (or each named) environment once and exits. It sends
 * no notifications ({@code notifications:}): they tell changes of outcome, and one run has no previous
 * outcome to compare with; {@code serve} sends them.
 */
final class ReconcileCommand extends Command {

    static final String HELP = """
            Usage: drawbridge reconcile --config FILE [--env NAME]... --once [--accept-force-push]

            Reconciles each environment of the configuration (or each one named with --env) once: fetch its
            branch, render, verify every image against its policy, and only on PASS apply with server-side
            apply, prune what left Git and undo drift. Prints per environment the revision, the decision
            and the change set.

              --config FILE   configuration file (YAML)
              --env NAME      an environment to reconcile; repeat for several (default: all, in order)
              --once          reconcile once and exit (continuous reconciliation is 'drawbridge serve')
              --accept-force-push
                              take the branch head even if the branch was force-pushed (the revision
                              last applied is no longer in its history); without it that is an error
                              (FORCE_PUSHED) and nothing is applied. A running 'serve' follows the
                              accepted head once this run has applied it.
              --help          this help

            Exit codes: 0 all applied or unchanged, 1 at least one blocked by the gate, 2 an error.
            """;

    private static final Set<String> VALUED = Set.of("--config", "--env");
    private static final Set<String> FLAGS = Set.of("--once", "--accept-force-push", "--help");
    static final java.time.Duration STATUS_FLUSH = java.time.Duration.ofSeconds(30);

    ReconcileCommand(PrintWriter out, PrintWriter err) {
        super(out, err, new Options(VALUED, FLAGS, HELP));
    }

    @Override
    int run(Arguments a) throws Exception {
        Path config = Path.of(a.required("--config"));
        if (!a.flag("--once")) {
            throw new Arguments.UsageException("--once is required (continuous reconciliation is 'drawbridge serve')");
        }
        DrawbridgeConfig cfg = config(config);
        UnverifiedRegistries.print(cfg, err);
        List<EnvironmentConfig> environments = new ArrayList<>();
        for (String name : a.all("--env")) {
            EnvironmentConfig env = environment(cfg, name, config);
            environments.add(env);
        }
        if (environments.isEmpty()) {
            environments.addAll(cfg.environments());
        }
        Path work = Files.createTempDirectory("drawbridge-reconcile-");
        boolean blocked = false;
        boolean error = false;
        try (Clusters clusters = Clusters.of(cfg); CommitStatuses statuses = CommitStatuses.fromConfig(cfg, work)) {
            ReconcilePipeline pipeline = new ReconcilePipeline(Engines.stages(cfg, Clock.systemUTC()), clusters, clusters,
                    statuses, work, Ownership.ALONE);
            for (EnvironmentConfig env : environments) {
                if (a.flag("--accept-force-push")) {
                    pipeline.acceptForcePushOnce(env.name());
                }
                ReconcileOutcome outcome = pipeline.reconcile(cfg, env);
                print(env, outcome);
                blocked |= outcome instanceof ReconcileOutcome.Blocked;
                error |= outcome instanceof ReconcileOutcome.Failed;
            }
            if (!statuses.flush(STATUS_FLUSH)) {
                err.println("drawbridge reconcile: some commit statuses could not be posted within "
                        + STATUS_FLUSH.toSeconds() + "s (the decisions stand)");
            }
        } finally {
            WorkDirs.deleteQuietly(work);
        }
        return error ? Main.ERROR : blocked ? Main.BLOCKED : Main.OK;
    }

    private void print(EnvironmentConfig env, ReconcileOutcome outcome) {
        String revision = outcome.report().revision() == null ? "-" : outcome.report().revision().abbreviated();
        String policy = outcome.report().policyRevision() == null ? "-" : outcome.report().policyRevision().substring(0, 12);
        String head = env.name() + "  " + env.branch() + "@" + revision + "  policy@" + policy + "  ";
        if (outcome instanceof ReconcileOutcome.Applied applied) {
            out.println(head + "PASS  applied: " + applied.changes().summary());
            for (ChangeSetEntry e : applied.changes().entries()) {
                if (e.action().isWrite() || e.drift()) {
                    out.println("    " + e);
                }
            }
        } else if (outcome instanceof ReconcileOutcome.Blocked blocked) {
            out.println(head + "BLOCK  " + StatusDescription.of(blocked.report().result()) + "  (nothing applied)");
        } else if (outcome instanceof ReconcileOutcome.Failed failed) {
            out.println(head + "ERROR  " + failed.reason() + ": " + failed.message());
            err.println(env.name() + ": " + failed.reason() + ": " + failed.message());
            Problems.of(failed.report().result()).forEach(p -> err.println(env.name() + ": " + p));
        }
        out.flush();
    }
}
