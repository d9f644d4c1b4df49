package dev.drawbridge.reconcile;

import dev.drawbridge.apply.Applier;
import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.decision.DecisionStoreException;
import dev.drawbridge.gate.GateReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Checks the heads of pull requests (merge requests) against the policy of the environment they target
 * (docs/pull-requests.md): the gate stages of {@link ReconcilePipeline} on the PR's ref ({@code refs/pull/7/head}, {@code refs/merge-requests/7/head}),
 * {@code pending} and then the result as the commit status {@code drawbridge/<env>} on the head sha, and the
 * verdict as Drawbridge's one comment on the pull request ({@link PullRequestComments}) with what merging would
 * change in the cluster (a preview: reads and server-side dry runs only). A pull request is never applied.
 * A check that throws ends with an {@code error} status naming why, never with a {@code pending} left behind.
 *
 * <p>Checks run one at a time on one background thread with a bounded queue; a check whose pull request got
 * a newer head while it waited is skipped (the newer one is queued behind it).
 */
public final class PullRequestChecks implements AutoCloseable {

    /** Checks waiting at most; more are refused (the forge redelivers, or the next push asks again). */
    public static final int QUEUE = 64;

    private static final Logger LOG = LoggerFactory.getLogger(PullRequestChecks.class);

    /**
     * One check to run.
     *
     * @param env     the environment whose branch the pull request targets
     * @param ref     the full ref of the pull request head, e.g. {@code refs/pull/7/head}
     * @param headSha the head the event named (the check runs on what the ref points at when fetched)
     */
    public record Request(EnvironmentConfig env, String ref, String headSha) {
        public Request {
            Objects.requireNonNull(env, "env");
            if (ref == null || !ref.startsWith("refs/")) {
                throw new IllegalArgumentException("Invalid pull request ref: " + ref);
            }
        }

        String key() {
            return env.name() + " " + ref;
        }
    }

    private final DrawbridgeConfig config;
    private final Stages stages;
    private final ReconcilePipeline gate;
    private final DecisionStores stores;
    private final CommitStatuses statuses;
    private final PullRequestComments comments;
    private final Function<EnvironmentConfig, Applier> appliers;
    private final BiConsumer<Request, GateReport> listener;
    private final Map<String, String> latest = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor executor;

    /**
     * @param workDir  the engine's work directory (the Git mirror is shared with the reconciles)
     * @param stores   where promotion evidence is read
     * @param listener told each finished check (logs, tests)
     */
    public PullRequestChecks(DrawbridgeConfig config, Stages stages, DecisionStores stores, CommitStatuses statuses,
                             Path workDir, BiConsumer<Request, GateReport> listener) {
        this(config, stages, stores, statuses, null, null, workDir, listener);
    }

    /**
     * @param comments where the verdict is commented on the pull request; null for none
     * @param appliers the applier of each environment's cluster, for the preview of what merging would change;
     *                 null: the comment says only what would be applied
     */
    public PullRequestChecks(DrawbridgeConfig config, Stages stages, DecisionStores stores, CommitStatuses statuses,
                             PullRequestComments comments, Function<EnvironmentConfig, Applier> appliers, Path workDir,
                             BiConsumer<Request, GateReport> listener) {
        this.config = config;
        this.stages = stages;
        this.gate = ReconcilePipeline.checks(stages, workDir, stores, statuses);
        this.stores = stores;
        this.statuses = statuses;
        this.comments = comments;
        this.appliers = appliers;
        this.listener = listener;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), task -> {
            Thread t = new Thread(task, "pull-request-check");
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues a check; false when the queue is full or the checks are closed. */
    public boolean submit(Request request) {
        latest.put(request.key(), String.valueOf(request.headSha()));
        try {
            executor.execute(() -> run(request));
            return true;
        } catch (RejectedExecutionException e) {
            LOG.warn("{}: pull request check of {} refused: {} checks are waiting", request.env().name(), request.ref(), QUEUE);
            return false;
        }
    }

    private void run(Request request) {
        if (!String.valueOf(request.headSha()).equals(latest.get(request.key()))) {
            return; // superseded by a newer head of the same pull request, queued behind this one
        }
        GateReport report;
        try {
            report = check(request);
        } catch (RuntimeException e) {
            LOG.warn("{}: pull request check of {} failed: {}", request.env().name(), request.ref(), e.toString());
            latest.remove(request.key(), String.valueOf(request.headSha()));
            return;
        }
        latest.remove(request.key(), String.valueOf(request.headSha()));
        try {
            listener.accept(request, report);
        } catch (RuntimeException e) {
            LOG.warn("{}: a pull request check listener failed: {}", request.env().name(), e.toString());
        }
    }

    /**
     * Checks one pull request head now, on the caller's thread, and posts {@code pending} and then its result
     * as the status {@code drawbridge/<env>} of the head (a promotion request's head is checked so).
     */
    public GateReport check(Request request) {
        EnvironmentConfig env = request.env();
        // the same environment, its manifests taken from the pull request's head instead of its branch; the policy
        // still comes from the policy source, never from the pull request. A stage that fails, even unexpectedly,
        // ends in an ERROR report: the head's status says why, never a pending left behind.
        Checked outcome = gate.checkPullRequest(config, env, request.ref());
        GateReport report = outcome.report();
        statuses.checked(env, report);
        comment(env, request, outcome);
        LOG.info("{} {}@{} checked: {}", env.name(), request.ref(),
                report.revision() == null ? "-" : report.revision().abbreviated(), report.result().decision());
        return report;
    }

    /** The verdict as the pull request's comment, with what merging would change in the cluster. */
    private void comment(EnvironmentConfig env, Request request, Checked outcome) {
        if (comments == null || !comments.enabled() || PullRequestComments.number(request.ref()).isEmpty()) {
            return;
        }
        try {
            MergePreview.Result preview = new MergePreview(stages, appliers).preview(env, outcome);
            comments.checked(env, request.ref(), outcome.report(), preview.changes(), preview.note(), applied(env));
        } catch (RuntimeException e) {
            LOG.warn("{}: no comment on {}: {}", env.name(), request.ref(), e.toString());
        }
    }

    /** The revision the environment runs now, for the link to its decision page; null when not known. */
    private String applied(EnvironmentConfig env) {
        try {
            return stores.of(env).latestApplied(env.name()).map(r -> r.revision()).orElse(null);
        } catch (DecisionStoreException | RuntimeException e) {
            return null;
        }
    }

    /** Stops taking checks, lets the running one finish within {@code grace}. */
    public void stop(Duration grace) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }
}
