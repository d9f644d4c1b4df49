package dev.drawbridge.reconcile;

import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.config.ForgeConfig;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.hash.Sha256;
import dev.drawbridge.report.StatusDescription;
import dev.drawbridge.report.forge.AsyncReporter;
import dev.drawbridge.report.forge.CommitStatus;
import dev.drawbridge.report.forge.ReporterStats;
import dev.drawbridge.report.forge.StatusReporter;
import dev.drawbridge.report.forge.StatusReporters;
import dev.drawbridge.retry.Backoff;
import dev.drawbridge.retry.OwedDeliveries;
import dev.drawbridge.retry.RetryQueue;
import dev.drawbridge.retry.Sleeper;
import dev.drawbridge.source.GitNotes;
import dev.drawbridge.values.CommitId;
import dev.drawbridge.values.EnvironmentName;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reports decisions where people look (docs/pull-requests.md): context {@code drawbridge/<environment>},
 * {@code pending} when a new revision or policy revision is being verified, then success (applied),
 * failure (blocked) or error, with the status description and a link to the decision page. Posting is
 * asynchronous and deduplicated: a slow or failing forge never blocks or fails a reconcile.
 */
public final class CommitStatuses implements AutoCloseable {

    private final AsyncReporter async;
    private final String dashboard;
    private final GitNotes notes;
    private final Map<EnvironmentName, String> verifying = new ConcurrentHashMap<>();

    CommitStatuses(StatusReporter forge, URI dashboardUrl, GitNotes notes) {
        this(new AsyncReporter(forge), dashboardUrl, notes);
    }

    /** With the asynchronous reporter given (tests choose its backoff). */
    CommitStatuses(AsyncReporter async, URI dashboardUrl, GitNotes notes) {
        this.async = async;
        String base = dashboardUrl == null ? "http://localhost:8080" : dashboardUrl.toString();
        this.dashboard = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.notes = notes;
    }

    /**
     * From {@code forge:} of the configuration; {@code workDir} holds the git-notes clone and the statuses not posted
     * yet (see {@link #fromConfig(DrawbridgeConfig, Path, Path)}).
     */
    public static CommitStatuses fromConfig(DrawbridgeConfig config, Path workDir) {
        return fromConfig(config, workDir, workDir);
    }

    /**
     * From {@code forge:} of the configuration; {@code workDir} holds the git-notes clone, {@code stateDir} the
     * statuses not posted yet ({@code owed/statuses}): what a stopped process still owed there is posted now, with
     * backoff, and one the forge already holds is not posted again (docs/retries.md).
     */
    public static CommitStatuses fromConfig(DrawbridgeConfig config, Path workDir, Path stateDir) {
        ForgeConfig forge = config.forge();
        if (forge == null || forge.type() == ForgeConfig.Type.NONE) {
            return new CommitStatuses(StatusReporters.none(), config.dashboardUrl(), null);
        }
        if (forge.type() == ForgeConfig.Type.GIT_NOTES) {
            GitNotes notes = new GitNotes(Remotes.of(config.git()), workDir.resolve("notes"));
            return new CommitStatuses(StatusReporters.gitNotes(notes::update), config.dashboardUrl(), notes);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        StatusReporter reporter = StatusReporters.create(forge.type().kind(), forge.apiUrl(), forge.repository(),
                forge.tokenFile() == null ? null : forge.tokenFile()::read, http);
        AsyncReporter async = new AsyncReporter(reporter,
                new RetryQueue.Settings(AsyncReporter.DEFAULT_CAPACITY, Backoff.delivery(), Sleeper.SYSTEM),
                journal(stateDir, forge, Clock.systemUTC()));
        async.resume();
        return new CommitStatuses(async, config.dashboardUrl(), null);
    }

    /**
     * Where the statuses not posted yet are kept across a restart: {@code owed/statuses/<forge>} under the work
     * directory, one directory per forge and repository (named by a hash of the forge's type, API URL and
     * repository: the journal names its target, never a token).
     */
    static OwedDeliveries<CommitStatus> journal(Path workDir, ForgeConfig forge, Clock clock) {
        return new OwedDeliveries<>(workDir.resolve(OWED).resolve(target(forge)), CommitStatus.class,
                AsyncReporter.DEFAULT_CAPACITY, Duration.ofDays(1), clock);
    }

    /** The forge and repository deliveries go to, as a directory name: its type and a hash of its API URL and repository. */
    static String target(ForgeConfig forge) {
        String target = forge.type().configName() + " " + forge.apiUrl() + " " + forge.repository();
        return forge.type().configName() + "-" + Sha256.hex(target).substring(0, 16);
    }

    /** Where the statuses not posted yet are kept, under the work directory. */
    static final String OWED = "owed/statuses";


    /** Posts {@code pending} when this revision or policy revision has not been verified before. */
    public void verifying(EnvironmentConfig env, CommitId sha, String policySha) {
        String key = sha + "/" + policySha;
        if (!key.equals(verifying.put(env.name(), key))) {
            post(env, sha, CommitStatus.State.PENDING, "verifying images against the " + env.name() + " policy");
        }
    }

    /** Posts the outcome of a reconcile: success (applied), failure (blocked), error. */
    public void decided(EnvironmentConfig env, ReconcileOutcome outcome) {
        GateReport report = outcome.report();
        if (report.revision() == null) {
            return; // nothing to attach a status to (the branch could not be fetched)
        }
        CommitStatus.State state = outcome instanceof ReconcileOutcome.Applied ? CommitStatus.State.SUCCESS
                : outcome instanceof ReconcileOutcome.Blocked ? CommitStatus.State.FAILURE : CommitStatus.State.ERROR;
        String description = outcome instanceof ReconcileOutcome.Failed failed && report.result().images().isEmpty()
                && report.result().errors().isEmpty() ? "error: " + failed.reason() + ": " + failed.message()
                : StatusDescription.of(report.result());
        post(env, report.revision(), state, description);
    }

    /**
     * Posts {@code pending} on the head of a pull request while it is checked against {@code env}'s
     * policy (never applied).
     */
    public void checking(EnvironmentConfig env, CommitId sha) {
        async.report(new CommitStatus(sha, null, "drawbridge/" + env.name(), CommitStatus.State.PENDING,
                "checking images against the " + env.name() + " policy (not applied)", null));
    }

    /**
     * Posts the result of a check without apply (a pull request head): success on PASS, failure on BLOCK,
     * error on ERROR. No link: decision pages exist only for reconciled revisions.
     */
    public void checked(EnvironmentConfig env, GateReport report) {
        if (report.revision() == null) {
            return;
        }
        CommitStatus.State state = switch (report.result().decision()) {
            case PASS -> CommitStatus.State.SUCCESS;
            case BLOCK -> CommitStatus.State.FAILURE;
            case ERROR -> CommitStatus.State.ERROR;
        };
        async.report(new CommitStatus(report.revision(), null, "drawbridge/" + env.name(), state,
                StatusDescription.of(report.result()), null));
    }


    private void post(EnvironmentConfig env, CommitId sha, CommitStatus.State state, String description) {
        String target = dashboard + "/environments/" + env.name() + "/decisions/" + sha;
        async.report(new CommitStatus(sha, env.branch(), "drawbridge/" + env.name(), state, description, target));
    }

    /** Statuses posted, failed (given up), retried and dropped so far (metrics). */
    public ReporterStats stats() {
        return async.stats();
    }

    /** Waits until the queued statuses are posted (or given up); for {@code reconcile --once}. */
    public boolean flush(Duration timeout) {
        try {
            return async.flush(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        async.close();
        if (notes != null) {
            notes.close();
        }
    }
}
