package dev.drawbridge.web;

import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.ForgeConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.config.LeasesConfig;
import dev.drawbridge.promotion.Promoter;
import dev.drawbridge.promotion.Promotions;
import dev.drawbridge.reconcile.Clusters;
import dev.drawbridge.reconcile.CommitStatuses;
import dev.drawbridge.reconcile.Engines;
import dev.drawbridge.reconcile.EnvironmentLeases;
import dev.drawbridge.reconcile.Ownership;
import dev.drawbridge.reconcile.ExceptionReminders;
import dev.drawbridge.reconcile.InsightFeed;
import dev.drawbridge.reconcile.Notifications;
import dev.drawbridge.reconcile.PullRequestChecks;
import dev.drawbridge.reconcile.PullRequestComments;
import dev.drawbridge.reconcile.PullRequestPoller;
import dev.drawbridge.reconcile.ReconcileLoop;
import dev.drawbridge.reconcile.ReconcileOutcome;
import dev.drawbridge.reconcile.ReconcilePipeline;
import dev.drawbridge.reconcile.Stages;
import dev.drawbridge.retry.Backoff;
import dev.drawbridge.values.EnvironmentName;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The wiring of {@code serve}: the engine's parts as beans, made from the one {@link DrawbridgeConfig}
 * that {@link DrawbridgeServer} registers. No component scan: every bean is named here, and the engine
 * never sees Spring. Shutdown runs in reverse: the loop stops (a running apply may finish within
 * {@link #SHUTDOWN_GRACE}), then the scheduler, the clusters' clients, the registry lookups and the
 * work directory go.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import({EnvironmentsController.class, PagesController.class, WebhooksController.class, InsightController.class})
class ServeConfiguration {

    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger("dev.drawbridge.serve");

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "")
    Stages stages(DrawbridgeConfig config, Clock clock) {
        return Engines.stages(config, clock);
    }

    @Bean
    RegistryConnections registryConnections(Stages stages) {
        return new RegistryConnections(stages);
    }

    @Bean
    Clusters clusters(DrawbridgeConfig config) {
        return Clusters.of(config);
    }

    @Bean
    WorkDirectory workDirectory(org.springframework.core.env.Environment environment) throws IOException {
        String state = environment.getProperty(DrawbridgeServer.STATE_DIR);
        return new WorkDirectory(state == null || state.isBlank() ? null : java.nio.file.Path.of(state));
    }

    @Bean
    CommitStatuses commitStatuses(DrawbridgeConfig config, WorkDirectory workDirectory) {
        return CommitStatuses.fromConfig(config, workDirectory.path(), workDirectory.owed());
    }

    /**
     * Which environments this replica runs: all of them, or (with {@code leases:}) those whose Lease it holds,
     * renewed on a thread of its own so that long reconciles never delay a renewal.
     */
    @Bean
    Ownership ownership(DrawbridgeConfig config, Clusters clusters, Clock clock) {
        LeasesConfig leases = config.leases();
        if (leases == null) {
            return Ownership.ALONE;
        }
        EnvironmentLeases shared = new EnvironmentLeases(clusters.leases(leases), leases.identity(), leases.duration(),
                leases.renew(), config.environmentNames(), clock);
        // counted by the other replicas from now on: the renew period it waits before taking its share runs while
        // the rest of serve starts
        shared.announce();
        return shared;
    }

    @Bean
    ReconcilePipeline reconcilePipeline(Stages stages, Clusters clusters, WorkDirectory workDirectory,
                                        RegistryConnections registryConnections, CommitStatuses statuses,
                                        Ownership ownership) {
        return new ReconcilePipeline(stages, clusters, clusters, statuses, workDirectory.path(), ownership);
    }

    /** Pull request heads checked on a background thread (webhooks); closed before the statuses and the stages. */
    @Bean
    PullRequestChecks pullRequestChecks(DrawbridgeConfig config, Stages stages, Clusters clusters, CommitStatuses statuses,
                                        PullRequestComments pullRequestComments, WorkDirectory workDirectory,
                                        RegistryConnections registryConnections) {
        return new PullRequestChecks(config, stages, clusters, statuses, pullRequestComments, clusters, workDirectory.path(),
                (request, report) -> { });
    }

    /** The verdict as one comment per pull request ({@code forge.comments}); closed after the checks stop. */
    @Bean
    PullRequestComments pullRequestComments(DrawbridgeConfig config, WorkDirectory workDirectory) {
        return PullRequestComments.fromConfig(config, workDirectory.owed());
    }

    /** Environments run in parallel, at most four at a time. */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService reconcileScheduler(DrawbridgeConfig config) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newScheduledThreadPool(Math.max(1, Math.min(config.environments().size(), 4)), task -> {
            Thread t = new Thread(task, "reconcile-" + n.incrementAndGet());
            t.setDaemon(false);
            return t;
        });
    }

    @Bean
    DecisionHistory decisionHistory(Clock clock, ReconcilePipeline pipeline) {
        return new DecisionHistory(clock, pipeline::owners);
    }

    @Bean
    ReconcileMetrics reconcileMetrics(MeterRegistry meters, DrawbridgeConfig config, Stages stages, CommitStatuses statuses) {
        ReconcileMetrics metrics = new ReconcileMetrics(meters, config.environments(), stages.lookup());
        metrics.statuses(statuses);
        return metrics;
    }

    /** Changes of outcome to Slack and JSON webhooks ({@code notifications:}); closed after the loop stops. */
    @Bean
    Notifications notifications(DrawbridgeConfig config, ReconcilePipeline pipeline, WorkDirectory workDirectory) {
        return Notifications.fromConfig(config, pipeline::owners, workDirectory.owed());
    }

    /** Priorities, teams and exceptions from each environment's last reconcile (the pages and {@code /api/priorities}). */
    @Bean
    InsightFeed insightFeed(DrawbridgeConfig config, ReconcilePipeline pipeline, Clusters clusters, Clock clock) {
        return new InsightFeed(config, pipeline::owners, pipeline::policy, clusters, clock);
    }

    /** The owner of an exception is told once when it enters its warning window, and once when it expires. */
    @Bean
    ExceptionReminders exceptionReminders(InsightFeed insight, Clusters clusters, Notifications notifications, Clock clock) {
        return new ExceptionReminders(() -> insight.current().exceptions(), clusters::notices, notifications, clock);
    }

    /** Promotion requests (docs/promotion.md): their own Git repository and forge client; closed after the stage. */
    @Bean
    Promoter promoter(DrawbridgeConfig config, Stages stages, Clusters clusters, PullRequestChecks pullRequestChecks,
                      Clock clock, WorkDirectory workDirectory) {
        return new Promoter(config, stages, clusters, pullRequestChecks, Promoter.forgeOf(config, clock),
                workDirectory.path().resolve("promotions"));
    }

    /**
     * The promotion stage: runs after each reconcile of a promote-from source or target, on its own thread, for the
     * targets whose Lease this replica holds.
     */
    @Bean
    Promotions promotions(DrawbridgeConfig config, Promoter promoter, Notifications notifications, Ownership ownership,
                          Clock clock) {
        return new Promotions(config, promoter, notifications, ownership::holds, clock);
    }

    @Bean(destroyMethod = "")
    ReconcileLoop reconcileLoop(DrawbridgeConfig config, ReconcilePipeline pipeline, ScheduledExecutorService reconcileScheduler,
                                Clock clock, DecisionHistory history, ReconcileMetrics metrics, Notifications notifications,
                                Ownership ownership, InsightFeed insight, ExceptionReminders reminders,
                                Promotions promotions) {
        List<ReconcileLoop.Listener> listeners = List.of(ServeConfiguration::log, history, metrics, notifications, insight,
                reminders, promotions);
        return new ReconcileLoop(config.environments(), env -> pipeline.reconcile(config, env), reconcileScheduler,
                Backoff.reconcile(), clock, (env, outcome, took) -> {
                    for (ReconcileLoop.Listener l : listeners) {
                        try {
                            l.reconciled(env, outcome, took);
                        } catch (RuntimeException e) {
                            LOG.warn("{}: a listener failed: {}", env.name(), e.toString());
                        }
                    }
                }, ownership);
    }

    /** Starts reconciling once the server accepts requests; stops (with a grace period) before the engine closes. */
    @Bean
    LoopLifecycle loopLifecycle(ReconcileLoop reconcileLoop, Ownership ownership) {
        return new LoopLifecycle(reconcileLoop, ownership);
    }

    @Bean
    ApplicationListener<ApplicationReadyEvent> startReconciling(LoopLifecycle loopLifecycle) {
        return event -> loopLifecycle.start();
    }

    /** Pull-request heads found with plain Git, for forges whose webhooks do not reach us. */
    @Bean
    PullRequestPoller pullRequestPoller(DrawbridgeConfig config, Stages stages, PullRequestChecks pullRequestChecks,
                                        WorkDirectory workDirectory, Ownership ownership) {
        // only the replica that holds an environment checks its pull requests and posts their statuses
        // a check refused because the queue is full is not seen: the next poll offers it again
        return new PullRequestPoller(config, stages.source(),
                request -> !ownership.holds(request.env().name()) || pullRequestChecks.submit(request),
                workDirectory.path().resolve("pull-requests"));
    }

    /** Polls pull-request heads every {@code git.poll-interval} when statuses go somewhere ({@code forge}). */
    @Bean
    ApplicationListener<ApplicationReadyEvent> startPollingPullRequests(DrawbridgeConfig config, PullRequestPoller poller,
                                                                        ScheduledExecutorService reconcileScheduler) {
        return event -> {
            if (config.forge() != null && config.forge().type() != ForgeConfig.Type.NONE) {
                long every = config.git().pollInterval().toMillis();
                reconcileScheduler.scheduleWithFixedDelay(poller::poll, every, every, TimeUnit.MILLISECONDS);
            }
        };
    }

    @Bean
    EnvironmentsHealthIndicator environmentsHealthIndicator(ReconcileLoop reconcileLoop) {
        return new EnvironmentsHealthIndicator(reconcileLoop);
    }

    /** Owns the loop's start and stop; its close runs before the beans the loop uses are destroyed. */
    static final class LoopLifecycle implements AutoCloseable {
        /** A tick at the end of a replica's wait comes this much later, so that the clock has surely passed it. */
        static final long SETTLE_MARGIN_MILLIS = 100;

        private final ReconcileLoop loop;
        private final Ownership ownership;
        private ScheduledExecutorService leaseTicker;

        LoopLifecycle(ReconcileLoop loop, Ownership ownership) {
            this.loop = loop;
            this.ownership = ownership;
        }

        void start() {
            if (ownership instanceof EnvironmentLeases leases) {
                leases.listener(new EnvironmentLeases.Listener() {
                    @Override
                    public void acquired(EnvironmentName environment) {
                        loop.trigger(environment);
                    }

                    @Override
                    public void lost(EnvironmentName environment) {
                        // the loop asks before each run and the pipeline before each apply
                    }

                    @Override
                    public void triggered(EnvironmentName environment) {
                        loop.trigger(environment);
                    }
                });
                // takes its share once a renew period has passed since it announced itself (the replicas started
                // beside it have announced themselves by then); until then only renews what it holds under its identity
                leases.tick();
                leaseTicker = Executors.newSingleThreadScheduledExecutor(task -> {
                    Thread t = new Thread(task, "leases");
                    t.setDaemon(true);
                    return t;
                });
                long every = leases.renewPeriod().toMillis();
                // at a fixed rate: a round's own length does not push the next renewal back
                leaseTicker.scheduleAtFixedRate(leases::tick, every, every, TimeUnit.MILLISECONDS);
                long settled = leases.untilSettled().toMillis();
                if (settled > 0 && settled < every) {
                    // its wait since it announced itself ends before the next renewal: takes its share then
                    leaseTicker.schedule(leases::tick, settled + SETTLE_MARGIN_MILLIS, TimeUnit.MILLISECONDS);
                }
                LOG.info("replica {}: sharing {} environment(s) through Leases", leases.identity(), loop.statuses().size());
            }
            LOG.info("reconciling {} environment(s)", loop.statuses().size());
            loop.start();
        }

        @Override
        public void close() {
            loop.stop(SHUTDOWN_GRACE);
            if (leaseTicker != null) {
                leaseTicker.shutdownNow();
                ((EnvironmentLeases) ownership).releaseAll(); // the other replicas take over at once
                ((EnvironmentLeases) ownership).close();
            }
        }
    }

    /** Closes the registry lookup's threads (its HTTP clients go with them) once the pipeline is gone. */
    static final class RegistryConnections implements AutoCloseable {
        private final Stages stages;

        RegistryConnections(Stages stages) {
            this.stages = stages;
        }

        @Override
        public void close() throws Exception {
            if (stages.lookup() instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    private static void log(EnvironmentConfig env, ReconcileOutcome outcome, Duration took) {
        String revision = outcome.report().revision() == null ? "-" : outcome.report().revision().abbreviated();
        String line = "{} {}@{} {} in {} ms: {}";
        Object[] args = {env.name(), env.branch(), revision, Outcomes.kind(outcome).toUpperCase(java.util.Locale.ROOT),
                took.toMillis(), Outcomes.message(outcome)};
        if (outcome instanceof ReconcileOutcome.Failed) {
            LOG.warn(line, args);
        } else {
            LOG.info(line, args);
        }
    }
}
