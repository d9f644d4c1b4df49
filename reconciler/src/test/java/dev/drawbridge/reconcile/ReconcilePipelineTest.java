package dev.drawbridge.reconcile;

import com.github.tomakehurst.wiremock.client.WireMock;
import dev.drawbridge.apply.Action;
import dev.drawbridge.apply.KubernetesApplier;
import dev.drawbridge.apply.testing.ApplyingMockServer;
import dev.drawbridge.config.ConfigLoader;
import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.decision.DecisionRecord;
import dev.drawbridge.decision.KubernetesDecisionStore;
import dev.drawbridge.testing.GitFixtures;
import dev.drawbridge.testing.HarborStandIn;
import dev.drawbridge.values.EnvironmentName;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

/** The whole pipeline against real Git, a Harbor stand-in and the Fabric8 mock API server. */
class ReconcilePipelineTest {

    static final String POLICY = """
            apiVersion: drawbridge.dev/v1alpha1
            kind: GatePolicy
            metadata: {name: production}
            spec:
              registries: {allow: ["harbor.example.com/prod/**"]}
              scan: {required: true, maxAge: 7d, blockSeverities: [CRITICAL, HIGH]}
            """;

    static String deployment(String name, String image) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %s, namespace: shop}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: %s}}
                  template:
                    metadata: {labels: {app: %s}}
                    spec:
                      containers:
                        - name: app
                          image: "%s"
                """.formatted(name, name, name, image);
    }

    @TempDir
    Path dir;

    GitFixtures repo;
    HarborStandIn registry;
    ApplyingMockServer cluster;
    KubernetesApplier applier;
    KubernetesDecisionStore store;
    ReconcilePipeline pipeline;
    DrawbridgeConfig config;
    EnvironmentConfig env;
    HarborStandIn.Image api;

    @BeforeEach
    void setUp() throws Exception {
        registry = HarborStandIn.start();
        Instant now = Instant.now();
        api = registry.push("prod/shop/api", "1.4.2", now.minus(Duration.ofDays(3)), "Success", now.minusSeconds(600));
        registry.push("prod/shop/web", "2.0.1", now.minus(Duration.ofDays(3)), "Success", now.minusSeconds(600));
        registry.push("prod/shop/bad", "1.0", now.minus(Duration.ofDays(3)), "Success", now.minusSeconds(600),
                new HarborStandIn.Vuln("CVE-2026-1234", "openssl", "3.0.13", "3.0.15", "Critical"));
        repo = GitFixtures.init(dir.resolve("repo"));
        repo.write("policies/production.yaml", POLICY);
        repo.write("app/kustomization.yaml", "resources: [api.yaml, web.yaml]\n");
        repo.write("app/api.yaml", deployment("api", "harbor.example.com/prod/shop/api:1.4.2"));
        repo.write("app/web.yaml", deployment("web", "harbor.example.com/prod/shop/web:2.0.1"));
        repo.commitAll("initial");
        repo.branch("env/production");
        Path file = dir.resolve("drawbridge.yaml");
        Files.writeString(file, """
                git: {url: %s}
                registries:
                  - {host: harbor.example.com, type: harbor, url: %s, insecure: true, timeout: 30s}
                environments:
                  - {name: production, branch: env/production, path: app}
                """.formatted(repo.url(), registry.url()));
        config = new ConfigLoader().load(file);
        env = config.environment(EnvironmentName.of("production")).orElseThrow();
        cluster = ApplyingMockServer.start();
        applier = new KubernetesApplier(cluster.client());
        store = new KubernetesDecisionStore(cluster.client());
        pipeline = new ReconcilePipeline(Engines.stages(config, Clock.systemUTC()), e -> applier, e -> store, dir.resolve("work"));
    }

    @AfterEach
    void tearDown() {
        applier.close();
        cluster.close();
        registry.close();
        repo.close();
    }

    void commitOnBranch(String path, String content) {
        repo.checkout("env/production");
        if (content == null) {
            try {
                Files.delete(repo.dir().resolve(path));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        } else {
            repo.write(path, content);
        }
        repo.commitAll("change " + path);
        repo.checkout("main");
    }

    /** Writes to what Git describes (decision records, Drawbridge's own bookkeeping, excluded). */
    java.util.List<ApplyingMockServer.Call> workloadWrites() {
        return cluster.writes().stream().filter(c -> !c.path().contains("/decisionrecords")
                && !c.path().endsWith("/namespaces/drawbridge-system")).toList();
    }

    Deployment live(String name) {
        return cluster.client().apps().deployments().inNamespace("shop").withName(name).get();
    }

    @Test
    void appliesAPassingRevisionWithImagesPinnedToTheVerifiedDigest() {
        ReconcileOutcome outcome = pipeline.reconcile(config, env);

        assertThat(outcome).isInstanceOf(ReconcileOutcome.Applied.class);
        assertThat(((ReconcileOutcome.Applied) outcome).changes().count(Action.CREATED)).isEqualTo(2);
        Deployment live = live("api");
        assertThat(live.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("harbor.example.com/prod/shop/api@" + api.digest());
        assertThat(live.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "drawbridge")
                .containsEntry("drawbridge.dev/environment", "production");
        assertThat(cluster.applies()).allSatisfy(call -> {
            assertThat(call.fieldManager()).isEqualTo("drawbridge");
            assertThat(call.force()).isTrue();
        });
    }

    @Test
    void keepsEachDecisionAsARecordInTheCluster() throws Exception {
        pipeline.reconcile(config, env);
        DecisionRecord applied = store.latest(EnvironmentName.of("production")).orElseThrow();
        assertThat(applied.decision()).isEqualTo("PASS");
        assertThat(applied.applied()).isTrue();
        assertThat(store.appliedPassDigests(EnvironmentName.of("production"))).contains(api.digest().toString());

        commitOnBranch("app/web.yaml", deployment("web", "harbor.example.com/prod/shop/bad:1.0"));
        pipeline.reconcile(config, env);
        DecisionRecord blocked = store.latest(EnvironmentName.of("production")).orElseThrow();
        assertThat(blocked.decision()).isEqualTo("BLOCK");
        assertThat(blocked.applied()).isFalse();
        assertThat(blocked.reason()).isEqualTo("GATE_BLOCKED");
    }

    @Test
    void aPromotedEnvironmentNeedsThePreviousEnvironmentToHaveAppliedTheSameDigests() throws Exception {
        Path file = dir.resolve("promotion.yaml");
        Files.writeString(file, """
                git: {url: %s}
                registries:
                  - {host: harbor.example.com, type: harbor, url: %s, insecure: true, timeout: 30s}
                environments:
                  - {name: acceptance, branch: env/production, path: app}
                  - {name: production, branch: env/production, path: app, promote-from: acceptance}
                """.formatted(repo.url(), registry.url()));
        repo.write("policies/acceptance.yaml", POLICY.replace("name: production", "name: acceptance"));
        repo.commitAll("acceptance policy");
        DrawbridgeConfig promoted = new ConfigLoader().load(file);
        try (ApplyingMockServer acceptanceCluster = ApplyingMockServer.start();
             KubernetesApplier acceptanceApplier = new KubernetesApplier(acceptanceCluster.client())) {
            KubernetesDecisionStore acceptanceStore = new KubernetesDecisionStore(acceptanceCluster.client());
            ReconcilePipeline two = new ReconcilePipeline(Engines.stages(promoted, Clock.systemUTC()),
                    e -> e.name().value().equals("acceptance") ? acceptanceApplier : applier,
                    e -> e.name().value().equals("acceptance") ? acceptanceStore : store, dir.resolve("work3"));
            EnvironmentConfig acceptance = promoted.environment(EnvironmentName.of("acceptance")).orElseThrow();
            EnvironmentConfig production = promoted.environment(EnvironmentName.of("production")).orElseThrow();

            ReconcileOutcome early = two.reconcile(promoted, production);
            assertThat(early).isInstanceOf(ReconcileOutcome.Blocked.class);
            assertThat(early.report().result().images().get(0).violations())
                    .anySatisfy(v -> assertThat(v.rule()).isEqualTo("promotion.evidence"));
            assertThat(cluster.writes()).as("production untouched").noneMatch(c -> c.path().contains("/deployments"));

            assertThat(two.reconcile(promoted, acceptance)).isInstanceOf(ReconcileOutcome.Applied.class);
            assertThat(two.reconcile(promoted, production)).isInstanceOf(ReconcileOutcome.Applied.class);
        }
    }

    @Test
    void aSecondReconcileWithNothingChangedWritesNothing() {
        pipeline.reconcile(config, env);
        cluster.clearRequests();

        ReconcileOutcome again = pipeline.reconcile(config, env);

        assertThat(again).isInstanceOf(ReconcileOutcome.Applied.class);
        assertThat(((ReconcileOutcome.Applied) again).changes().writes()).isZero();
        assertThat(cluster.writes()).isEmpty();
    }

    @Test
    void aReplicaThatLostTheLeaseWhileVerifyingAppliesRecordsAndPostsNothing() {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        Ownership lostOnTheWay = new Ownership() {
            @Override
            public boolean holds(EnvironmentName environment) {
                return asked.incrementAndGet() < 1; // the Lease ran out while the gate ran
            }

            @Override
            public void passOn(EnvironmentName environment) {
            }
        };
        ReconcilePipeline replica = new ReconcilePipeline(Engines.stages(config, Clock.systemUTC()), e -> applier,
                e -> store, null, dir.resolve("work-replica"), lostOnTheWay);

        ReconcileOutcome outcome = replica.reconcile(config, env);

        assertThat(outcome).isInstanceOfSatisfying(ReconcileOutcome.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(Reason.LEASE_LOST));
        assertThat(asked.get()).as("asked right before the apply").isEqualTo(1);
        assertThat(cluster.writes()).as("no object, no decision record").isEmpty();
    }

    @Test
    void aDefectInAGateStageIsInternalNothingIsAppliedAndAPullRequestGetsAnErrorStatusNotAPendingLeftBehind() {
        Stages base = Engines.stages(config, Clock.systemUTC());
        Stages broken = new Stages(base.source(), (checkout, path) -> {
            throw new IllegalStateException("a defect in render");
        }, base.inspector(), base.lookup(), base.clock());
        dev.drawbridge.apply.Applier never = request -> {
            throw new AssertionError("nothing may be applied after a defect");
        };

        ReconcileOutcome outcome = new ReconcilePipeline(broken, e -> never, e -> store, dir.resolve("work-broken"))
                .reconcile(config, env);

        assertThat(outcome).isInstanceOfSatisfying(ReconcileOutcome.Failed.class, f -> {
            assertThat(f.reason()).isEqualTo(Reason.INTERNAL);
            assertThat(f.message()).contains("IllegalStateException", "a defect in render")
                    .doesNotContain("could not reach the cluster");
        });
        java.util.List<dev.drawbridge.report.forge.CommitStatus> posted = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (CommitStatuses statuses = new CommitStatuses(posted::add, null, null);
             PullRequestChecks checks = new PullRequestChecks(config, broken, e -> store, statuses, null, null,
                     dir.resolve("work-pr"), (request, report) -> { })) {
            dev.drawbridge.gate.GateReport report = checks.check(new PullRequestChecks.Request(env, "refs/heads/" + env.branch(), null));
            assertThat(report.result().errors()).singleElement().asString().startsWith("internal: unexpected IllegalStateException");
            assertThat(statuses.flush(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(posted).isNotEmpty();
        assertThat(posted.get(posted.size() - 1).state()).isEqualTo(dev.drawbridge.report.forge.CommitStatus.State.ERROR);
        assertThat(posted.get(posted.size() - 1).description()).contains("IllegalStateException");
    }

    @Test
    void anUnexpectedFailureIsInternalAndAnUnreachableClusterIsAnApplyFailure() {
        dev.drawbridge.apply.Applier defect = request -> {
            throw new NullPointerException("a defect");
        };
        dev.drawbridge.apply.Applier unreachable = request -> {
            throw new io.fabric8.kubernetes.client.KubernetesClientException("connection refused");
        };
        ReconcileOutcome internal = new ReconcilePipeline(Engines.stages(config, Clock.systemUTC()), e -> defect,
                e -> store, dir.resolve("work-defect")).reconcile(config, env);
        ReconcileOutcome cluster = new ReconcilePipeline(Engines.stages(config, Clock.systemUTC()), e -> unreachable,
                e -> store, dir.resolve("work-unreachable")).reconcile(config, env);

        assertThat(internal).isInstanceOfSatisfying(ReconcileOutcome.Failed.class, f -> {
            assertThat(f.reason()).isEqualTo(Reason.INTERNAL);
            assertThat(f.message()).contains("NullPointerException", "a defect").doesNotContain("could not reach the cluster");
        });
        assertThat(cluster).isInstanceOfSatisfying(ReconcileOutcome.Failed.class, f -> {
            assertThat(f.reason()).isEqualTo(Reason.APPLY_FAILED);
            assertThat(f.message()).contains("could not reach the cluster of production", "connection refused");
        });
    }

    @Test
    void aBlockedRevisionAppliesNothingAndKeepsWhatRuns() {
        pipeline.reconcile(config, env);
        commitOnBranch("app/web.yaml", deployment("web", "harbor.example.com/prod/shop/bad:1.0"));
        cluster.clearRequests();

        ReconcileOutcome outcome = pipeline.reconcile(config, env);

        assertThat(outcome).isInstanceOf(ReconcileOutcome.Blocked.class);
        assertThat(workloadWrites()).isEmpty();
        assertThat(live("web").getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).contains("prod/shop/web@");
    }

    @Test
    void theRegistryDownOnANewRevisionIsAnErrorThatChangesNothing() {
        pipeline.reconcile(config, env);
        commitOnBranch("app/web.yaml", null);
        commitOnBranch("app/kustomization.yaml", "resources: [api.yaml]\n");
        commitOnBranch("app/api.yaml", deployment("api", "harbor.example.com/prod/shop/api:1.5.0"));
        registry.wireMock().stubFor(WireMock.any(urlPathMatching(".*")).atPriority(1).willReturn(aResponse().withStatus(503)));
        cluster.clearRequests();

        ReconcileOutcome outcome = pipeline.reconcile(config, env);

        assertThat(outcome).isInstanceOf(ReconcileOutcome.Failed.class);
        assertThat(((ReconcileOutcome.Failed) outcome).reason()).isEqualTo(Reason.GATE_ERROR);
        assertThat(((ReconcileOutcome.Failed) outcome).message()).contains("could not verify");
        assertThat(workloadWrites()).as("nothing applied, nothing pruned").isEmpty();
        assertThat(live("web")).isNotNull();
    }

    /** Rewrites env/production to a new commit on main that does not contain what the branch had. */
    String forcePushBranch(String path, String content) {
        repo.write(path, content);
        String rewritten = repo.commitAll("rewritten " + path);
        repo.branch("env/production"); // reset to main's head, as a force-push does
        return rewritten;
    }

    @Test
    void aForcePushedBranchIsAnErrorThatChangesNothingUntilItIsAccepted() {
        commitOnBranch("app/api.yaml", deployment("api-v2", "harbor.example.com/prod/shop/api:1.4.2"));
        assertThat(pipeline.reconcile(config, env)).isInstanceOf(ReconcileOutcome.Applied.class);
        String applied = repo.head("env/production");
        String rewritten = forcePushBranch("app/api.yaml", deployment("api-rewritten", "harbor.example.com/prod/shop/api:1.4.2"));
        cluster.clearRequests();

        ReconcileOutcome refused = pipeline.reconcile(config, env);
        ReconcileOutcome again = pipeline.reconcile(config, env);
        ReconcilePipeline restarted = new ReconcilePipeline(Engines.stages(config, Clock.systemUTC()), e -> applier,
                e -> store, dir.resolve("work-after-restart"));
        ReconcileOutcome afterRestart = restarted.reconcile(config, env);

        for (ReconcileOutcome outcome : java.util.List.of(refused, again, afterRestart)) {
            assertThat(outcome).isInstanceOf(ReconcileOutcome.Failed.class);
            assertThat(((ReconcileOutcome.Failed) outcome).reason()).isEqualTo(Reason.FORCE_PUSHED);
            assertThat(((ReconcileOutcome.Failed) outcome).message()).as("the status description")
                    .startsWith("error: source: branch env/production was force-pushed");
            assertThat(outcome.report().result().errors()).singleElement().asString()
                    .contains("env/production was force-pushed", applied.substring(0, 12), rewritten.substring(0, 12),
                            "--env production --once --accept-force-push");
            assertThat(outcome.report().revision().hex()).isEqualTo(rewritten);
        }
        assertThat(workloadWrites()).as("nothing applied, nothing pruned").isEmpty();
        assertThat(live("api-v2")).isNotNull();
        assertThat(live("api-rewritten")).isNull();

        restarted.acceptForcePushOnce(EnvironmentName.of("production"));
        assertThat(restarted.reconcile(config, env)).isInstanceOf(ReconcileOutcome.Applied.class);
        assertThat(live("api-rewritten")).isNotNull();
        assertThat(live("api-v2")).as("left Git with the rewritten history").isNull();
        assertThat(pipeline.reconcile(config, env)).as("the first process follows the accepted head (decision records)")
                .isInstanceOf(ReconcileOutcome.Applied.class);
    }

    /** The cluster's decision records, unreadable while {@code failing} is set (RBAC, API server down, no CRD). */
    static final class FlakyStore implements dev.drawbridge.decision.DecisionStore {
        final dev.drawbridge.decision.DecisionStore delegate;
        volatile boolean failing = true;

        FlakyStore(dev.drawbridge.decision.DecisionStore delegate) {
            this.delegate = delegate;
        }

        private void check() throws dev.drawbridge.decision.DecisionStoreException {
            if (failing) {
                throw new dev.drawbridge.decision.DecisionStoreException(dev.drawbridge.decision.DecisionStoreException.Reason.CLUSTER_FAILED,
                        "DecisionRecord/drawbridge-system: could not list decision records: Forbidden", null);
            }
        }

        @Override
        public void record(DecisionRecord record) throws dev.drawbridge.decision.DecisionStoreException {
            check();
            delegate.record(record);
        }

        @Override
        public java.util.Set<String> appliedPassDigests(EnvironmentName environment) throws dev.drawbridge.decision.DecisionStoreException {
            check();
            return delegate.appliedPassDigests(environment);
        }

        @Override
        public java.util.Optional<DecisionRecord> latest(EnvironmentName environment) throws dev.drawbridge.decision.DecisionStoreException {
            check();
            return delegate.latest(environment);
        }

        @Override
        public java.util.Optional<DecisionRecord> latestApplied(EnvironmentName environment) throws dev.drawbridge.decision.DecisionStoreException {
            check();
            return delegate.latestApplied(environment);
        }
    }

    @Test
    void unreadableDecisionRecordsAreAnErrorOfTheForcePushGuardNotNothingAppliedYet() {
        assertThat(pipeline.reconcile(config, env)).isInstanceOf(ReconcileOutcome.Applied.class);
        String rewritten = forcePushBranch("app/api.yaml", deployment("api-rewritten", "harbor.example.com/prod/shop/api:1.4.2"));
        cluster.clearRequests();

        // a restart: nothing in memory, and the records (which hold what was applied) cannot be read
        FlakyStore flaky = new FlakyStore(store);
        ReconcilePipeline restarted = new ReconcilePipeline(Engines.stages(config, Clock.systemUTC()), e -> applier,
                e -> flaky, dir.resolve("work-after-restart"));
        restarted.acceptForcePushOnce(EnvironmentName.of("production"));
        for (int i = 0; i < 2; i++) {
            ReconcileOutcome outcome = restarted.reconcile(config, env);
            assertThat(outcome).isInstanceOf(ReconcileOutcome.Failed.class);
            assertThat(((ReconcileOutcome.Failed) outcome).reason()).isEqualTo(Reason.APPLY_FAILED);
            assertThat(outcome.report().result().errors()).singleElement().asString()
                    .startsWith("cluster: ").contains("the decision records of production could not be read, so the history of branch "
                            + "env/production cannot be checked against the revision last applied; nothing applied", "Forbidden");
            assertThat(outcome.report().revision().hex()).isEqualTo(rewritten);
        }
        assertThat(workloadWrites()).as("nothing applied, nothing pruned").isEmpty();
        assertThat(live("api-rewritten")).isNull();
        assertThat(live("api")).isNotNull();

        // readable again: the acceptance asked for was not used up by the failed runs
        flaky.failing = false;
        assertThat(restarted.reconcile(config, env)).isInstanceOf(ReconcileOutcome.Applied.class);
        assertThat(live("api-rewritten")).isNotNull();
    }

    @Test
    void unreadableDecisionRecordsWithoutAForcePushAreAnErrorTooAfterARestart() {
        assertThat(pipeline.reconcile(config, env)).isInstanceOf(ReconcileOutcome.Applied.class);
        commitOnBranch("app/web.yaml", deployment("web-v2", "harbor.example.com/prod/shop/web:2.0.1"));
        cluster.clearRequests();
        FlakyStore flaky = new FlakyStore(store);
        ReconcilePipeline restarted = new ReconcilePipeline(Engines.stages(config, Clock.systemUTC()), e -> applier,
                e -> flaky, dir.resolve("work-after-restart"));

        ReconcileOutcome outcome = restarted.reconcile(config, env);

        assertThat(((ReconcileOutcome.Failed) outcome).reason()).isEqualTo(Reason.APPLY_FAILED);
        assertThat(workloadWrites()).isEmpty();
        assertThat(live("web-v2")).isNull();
        flaky.failing = false;
        assertThat(restarted.reconcile(config, env)).isInstanceOf(ReconcileOutcome.Applied.class);
        assertThat(live("web-v2")).isNotNull();
    }

    /** Guard and policy run beside the render, but their refusal comes first, as if they had run before it. */
    @Test
    void aForcePushedBranchThatAlsoFailsToRenderIsRefusedAsForcePushed() {
        commitOnBranch("app/api.yaml", deployment("api-v2", "harbor.example.com/prod/shop/api:1.4.2"));
        assertThat(pipeline.reconcile(config, env)).isInstanceOf(ReconcileOutcome.Applied.class);
        forcePushBranch("app/kustomization.yaml", "resources: [api.yaml, web.yaml, missing.yaml]\n");

        ReconcileOutcome refused = pipeline.reconcile(config, env);

        assertThat(refused).isInstanceOf(ReconcileOutcome.Failed.class);
        assertThat(((ReconcileOutcome.Failed) refused).reason()).isEqualTo(Reason.FORCE_PUSHED);
        assertThat(refused.report().result().errors()).singleElement().asString().contains("force-pushed");
    }

    @Test
    void aRestoredBranchIsAppliedAgainAndABlockedRevisionMayBeRewritten() {
        pipeline.reconcile(config, env);
        String applied = repo.head("env/production");
        commitOnBranch("app/web.yaml", deployment("web", "harbor.example.com/prod/shop/bad:1.0"));
        assertThat(pipeline.reconcile(config, env)).isInstanceOf(ReconcileOutcome.Blocked.class);

        // the blocked commit is amended away: what runs (the applied revision) is still in the history
        forcePushBranch("app/web.yaml", deployment("web", "harbor.example.com/prod/shop/web:2.0.1"));
        assertThat(pipeline.reconcile(config, env)).isInstanceOf(ReconcileOutcome.Applied.class);

        // rewritten past what runs, then restored to a descendant of it
        String runs = repo.head("env/production");
        repo.write("app/extra.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other, namespace: shop}\n");
        repo.write("app/kustomization.yaml", "resources: [api.yaml, web.yaml, extra.yaml]\n");
        repo.commitAll("unrelated history");
        repo.checkout(applied);
        repo.branch("env/production");
        repo.checkout("main");
        ReconcileOutcome refused = pipeline.reconcile(config, env);
        assertThat(refused).isInstanceOf(ReconcileOutcome.Failed.class);
        assertThat(((ReconcileOutcome.Failed) refused).reason()).isEqualTo(Reason.FORCE_PUSHED);
        repo.checkout(runs);
        repo.branch("env/production");
        repo.checkout("main");
        assertThat(pipeline.reconcile(config, env)).isInstanceOf(ReconcileOutcome.Applied.class);
    }

    @Test
    void anObjectThatLeftGitIsPruned() {
        pipeline.reconcile(config, env);
        commitOnBranch("app/kustomization.yaml", "resources: [api.yaml]\n");

        ReconcileOutcome outcome = pipeline.reconcile(config, env);

        assertThat(outcome).isInstanceOf(ReconcileOutcome.Applied.class);
        assertThat(((ReconcileOutcome.Applied) outcome).changes().count(Action.DELETED)).isEqualTo(1);
        assertThat(live("web")).isNull();
        assertThat(live("api")).isNotNull();
    }

    @Test
    void anUnchangedRevisionIsNotRenderedAgainButANewOneIs() {
        Stages base = Engines.stages(config, Clock.systemUTC());
        java.util.concurrent.atomic.AtomicInteger renders = new java.util.concurrent.atomic.AtomicInteger();
        Stages counting = new Stages(base.source(), (checkout, path) -> {
            renders.incrementAndGet();
            return base.renderer().render(checkout, path);
        }, base.inspector(), base.lookup(), base.clock());
        ReconcilePipeline counted = new ReconcilePipeline(counting, e -> applier, e -> store, dir.resolve("work2"));

        counted.reconcile(config, env);
        counted.reconcile(config, env);
        assertThat(renders).hasValue(1);

        commitOnBranch("app/kustomization.yaml", "resources: [api.yaml]\n");
        counted.reconcile(config, env);
        assertThat(renders).hasValue(2);
    }

    /**
     * The kept render is compact JSON between reconciles; what is read back is what was rendered, as fresh copies
     * each time. A value JSON cannot hold (NaN) keeps the render as trees, with the same answers.
     */
    @Test
    void aReusedRenderIsTheSameObjectsAndTheCallersOwnCopies() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode plain = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"plain\"},"
                        + "\"data\":{\"a\":\"\u00fc\"},\"x\":[1,2147483648,1.5,true,null,{}]}");
        com.fasterxml.jackson.databind.node.ObjectNode nan = plain.deepCopy();
        nan.withObject("/metadata").put("name", "nan");
        nan.put("y", Double.NaN);

        for (java.util.List<com.fasterxml.jackson.databind.node.ObjectNode> rendered
                : java.util.List.of(java.util.List.of(plain), java.util.List.of(plain, nan))) {
            Stages base = Engines.stages(config, Clock.systemUTC());
            Stages fixed = new Stages(base.source(), (checkout, path) -> rendered.stream()
                    .map(com.fasterxml.jackson.databind.node.ObjectNode::deepCopy).toList(),
                    base.inspector(), base.lookup(), base.clock());
            ReconcilePipeline gate = ReconcilePipeline.checks(fixed, dir.resolve("work-" + rendered.size()), e -> store, null);

            gate.check(config, env, CheckOptions.DEFAULT).objects().forEach(o -> o.put("changed", true));
            gate.check(config, env, CheckOptions.DEFAULT).objects().forEach(o -> o.put("changed", true));
            java.util.List<com.fasterxml.jackson.databind.node.ObjectNode> third = gate.check(config, env, CheckOptions.DEFAULT).objects();

            assertThat(third).isEqualTo(rendered);
            assertThat(third.get(0).get("x").get(1).isLong()).isTrue();
            assertThat(third.get(third.size() - 1).path("y").isDouble() || rendered.size() == 1).isTrue();
        }
    }

    @Test
    void aRenderFailureIsNamedAndPrunesNothing() {
        pipeline.reconcile(config, env);
        commitOnBranch("app/kustomization.yaml", "resources: [api.yaml, missing.yaml]\n");
        cluster.clearRequests();

        ReconcileOutcome outcome = pipeline.reconcile(config, env);

        assertThat(outcome).isInstanceOf(ReconcileOutcome.Failed.class);
        assertThat(((ReconcileOutcome.Failed) outcome).reason()).isEqualTo(Reason.RENDER_FAILED);
        assertThat(workloadWrites()).isEmpty();
    }
}
