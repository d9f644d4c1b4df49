package dev.drawbridge.reconcile;

import dev.drawbridge.apply.PlannedChanges;
import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.config.ForgeConfig;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.report.forge.AsyncComments;
import dev.drawbridge.report.forge.AsyncReporter;
import dev.drawbridge.report.forge.CommentMarkdown;
import dev.drawbridge.report.forge.CommentReporter;
import dev.drawbridge.report.forge.ForgeApi;
import dev.drawbridge.report.forge.ForgeCommentReporter;
import dev.drawbridge.report.forge.ForgeException;
import dev.drawbridge.report.forge.ForgeKind;
import dev.drawbridge.report.forge.PullRequestComment;
import dev.drawbridge.report.forge.ReporterStats;
import dev.drawbridge.retry.Backoff;
import dev.drawbridge.retry.OwedDeliveries;
import dev.drawbridge.retry.RetryQueue;
import dev.drawbridge.retry.Sleeper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gate's verdict where reviewers read (docs/pull-requests.md): each pull request checked gets ONE comment
 * per environment, found again by its hidden marker and edited in place at every new head. Posting is
 * asynchronous ({@link AsyncComments}); {@code forge.comments: false}, {@code git-notes} and {@code none} post
 * nothing.
 */
public final class PullRequestComments implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PullRequestComments.class);
    private static final Pattern NUMBER = Pattern.compile("refs/(?:pull|merge-requests)/(\\d+)/head");

    private final CommentReporter reporter;
    private final String dashboard;

    /** @param reporter where comments go ({@link CommentReporter#NONE} for none) */
    PullRequestComments(CommentReporter reporter, URI dashboardUrl) {
        this.reporter = reporter;
        String base = dashboardUrl == null ? null : dashboardUrl.toString();
        this.dashboard = base == null ? null : base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** From {@code forge:} of the configuration; nothing kept across a restart. */
    public static PullRequestComments fromConfig(DrawbridgeConfig config) {
        return fromConfig(config, null);
    }

    /**
     * From {@code forge:} of the configuration. With a work directory, the comments not published yet are kept
     * under {@code owed/comments} and what a stopped process still owed is published now (docs/retries.md).
     */
    public static PullRequestComments fromConfig(DrawbridgeConfig config, Path workDir) {
        ForgeConfig forge = config.forge();
        if (forge == null || !forge.postsComments()) {
            return new PullRequestComments(CommentReporter.NONE, config.dashboardUrl());
        }
        ForgeKind kind = forge.type().kind();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        ForgeApi api = new ForgeApi(kind, forge.apiUrl(), forge.tokenFile()::read, http, Clock.systemUTC(), Sleeper.SYSTEM);
        OwedDeliveries<PullRequestComment> owed = workDir == null ? null : new OwedDeliveries<>(
                workDir.resolve("owed/comments").resolve(CommitStatuses.target(forge)),
                PullRequestComment.class, AsyncReporter.DEFAULT_CAPACITY, Duration.ofDays(1), Clock.systemUTC());
        AsyncComments async = new AsyncComments(new ForgeCommentReporter(api, forge.repository()),
                new RetryQueue.Settings(AsyncReporter.DEFAULT_CAPACITY, Backoff.delivery(), Sleeper.SYSTEM), owed);
        async.resume();
        return new PullRequestComments(async, config.dashboardUrl());
    }

    /** Whether comments go anywhere. */
    public boolean enabled() {
        return reporter != CommentReporter.NONE;
    }

    /** The pull request number in {@code refs/pull/N/head} or {@code refs/merge-requests/N/head}. */
    static OptionalLong number(String ref) {
        Matcher m = ref == null ? null : NUMBER.matcher(ref);
        return m != null && m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    /**
     * Keeps the comment of {@code env} on the pull request of {@code ref} saying what the check found.
     *
     * @param changes     what merging would change in the cluster; null when not known
     * @param changesNote how {@code changes} was worked out, or why it is not known
     * @param appliedSha  the revision the environment runs now (for the link to its decision page); may be null
     */
    public void checked(EnvironmentConfig env, String ref, GateReport report, PlannedChanges changes, String changesNote,
                        String appliedSha) {
        OptionalLong number = number(ref);
        if (!enabled() || number.isEmpty() || report.revision() == null) {
            return;
        }
        String decision = dashboard == null || appliedSha == null ? null
                : dashboard + "/environments/" + env.name() + "/decisions/" + appliedSha;
        String markdown = CommentMarkdown.render(new CommentMarkdown.Content(env.name(), ref, report, changes, changesNote,
                decision, dashboard), PullRequestComment.room(env.name()));
        PullRequestComment comment = new PullRequestComment(number.getAsLong(), env.name(), markdown);
        try {
            reporter.publish(comment);
        } catch (ForgeException | RuntimeException e) {
            LOG.warn("could not publish the {}: {}", comment, e.getMessage());
        }
    }

    /** Comments published, failed, retried, dropped; all zero when comments are off. */
    public ReporterStats stats() {
        return reporter instanceof AsyncComments async ? async.stats() : new ReporterStats(0, 0, 0, 0, 0);
    }

    /** Waits until the queued comments are published (or given up). */
    public boolean flush(Duration timeout) {
        if (!(reporter instanceof AsyncComments async)) {
            return true;
        }
        try {
            return async.flush(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        if (reporter instanceof AsyncComments async) {
            async.close();
        }
    }
}
