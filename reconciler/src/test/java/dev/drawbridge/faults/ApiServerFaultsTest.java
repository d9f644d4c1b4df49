package dev.drawbridge.faults;

import dev.drawbridge.apply.testing.ApplyingMockServer;
import dev.drawbridge.reconcile.ReconcileOutcome;
import dev.drawbridge.reconcile.ReconcilePipeline;
import dev.drawbridge.reconcile.Reason;
import dev.drawbridge.values.EnvironmentName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API server misbehaves in the middle of an apply (the first Deployment written, the second one refused):
 * a reconcile never reports success for a revision it did not wholly apply, prunes nothing, and the reconcile
 * after the fault converges.
 */
class ApiServerFaultsTest {

    static final Predicate<ApplyingMockServer.Call> APPLY_OF_WEB =
            c -> c.isApply() && !c.isDryRun() && c.path().endsWith("/namespaces/shop/deployments/web");

    @TempDir
    Path dir;

    FaultFixture f;
    ReconcilePipeline pipeline;

    @BeforeEach
    void setUp() {
        f = new FaultFixture(dir);
        pipeline = f.pipeline();
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    ReconcileOutcome reconcile() {
        return pipeline.reconcile(f.config, f.env);
    }

    void assertFailedMidApply(ReconcileOutcome outcome, String why) {
        assertThat(outcome).isInstanceOf(ReconcileOutcome.Failed.class);
        ReconcileOutcome.Failed failed = (ReconcileOutcome.Failed) outcome;
        assertThat(failed.reason()).isEqualTo(Reason.APPLY_FAILED);
        assertThat(failed.message()).contains("Deployment/shop/web").contains(why);
        assertThat(f.live("api")).as("written before the fault").isNotNull();
        assertThat(f.cluster.applies()).filteredOn(APPLY_OF_WEB).isNotEmpty();
    }

    void assertRecovers() {
        assertThat(reconcile()).isInstanceOf(ReconcileOutcome.Applied.class);
        f.assertConverged();
        f.assertNothingUnverifiedApplied();
        f.cluster.clearRequests();
        assertThat(reconcile()).isInstanceOf(ReconcileOutcome.Applied.class);
        assertThat(f.cluster.writes()).as("converged: the next reconcile writes nothing")
                .filteredOn(c -> c.path().contains("/namespaces/shop/")).isEmpty();
    }

    @Test
    void anApiServerAnswering500MidApplyFailsTheReconcileAndTheNextOneConverges() {
        f.cluster.failWhen(APPLY_OF_WEB, 500, Integer.MAX_VALUE);

        assertFailedMidApply(reconcile(), "500");
        assertThat(f.live("web")).isNull();
        f.assertNothingUnverifiedApplied();

        f.cluster.clearFailures();
        assertRecovers();
    }

    @Test
    void aServerErrorBlipMidApplyIsRetriedByTheClientWithinTheSameReconcile() {
        f.cluster.failWhen(APPLY_OF_WEB, 500, 2);

        assertThat(reconcile()).isInstanceOf(ReconcileOutcome.Applied.class);
        assertThat(f.cluster.applies()).filteredOn(APPLY_OF_WEB).hasSize(3);
        f.assertConverged();
        f.assertNothingUnverifiedApplied();
    }

    @Test
    void anApiServerAnswering409MidApplyIsReReadAndRetriedOnceThenAPersistentConflictFailsUntilItClears() {
        f.cluster.failWhen(APPLY_OF_WEB, 409, 1);
        assertThat(reconcile()).isInstanceOf(ReconcileOutcome.Applied.class);
        f.assertConverged();

        f.commitOnBranch("app/web.yaml", FaultFixture.deployment("web", FaultFixture.reference(f.images.get("web")), 3));
        f.cluster.failWhen(APPLY_OF_WEB, 409, Integer.MAX_VALUE);
        assertFailedMidApply(reconcile(), "409");
        assertThat(f.live("web").getSpec().getReplicas()).as("the old revision still runs").isEqualTo(2);

        f.cluster.clearFailures();
        assertThat(reconcile()).isInstanceOf(ReconcileOutcome.Applied.class);
        assertThat(f.live("web").getSpec().getReplicas()).isEqualTo(3);
        f.assertConverged();
        f.assertNothingUnverifiedApplied();
    }

    @Test
    void anApiServerAnswering429WithRetryAfterMidApplyIsRetriedAndTheApplyCompletes() {
        f.cluster.failWhen(APPLY_OF_WEB, 429, 1, Map.of("Retry-After", "1"));

        assertThat(reconcile()).isInstanceOf(ReconcileOutcome.Applied.class);
        assertThat(f.retryAfterWaits).as("waited as Retry-After asked").containsExactly(Duration.ofSeconds(1));
        assertThat(f.cluster.applies()).filteredOn(APPLY_OF_WEB).hasSize(2);
        f.assertConverged();
        f.assertNothingUnverifiedApplied();
    }

    @Test
    void aRetryAfterOfAnHourIsWaitedForAtMostThirtySeconds() {
        f.cluster.failWhen(APPLY_OF_WEB, 429, 1, Map.of("Retry-After", "3600"));

        assertThat(reconcile()).isInstanceOf(ReconcileOutcome.Applied.class);
        assertThat(f.retryAfterWaits).containsExactly(Duration.ofSeconds(30));
        f.assertConverged();
        f.assertNothingUnverifiedApplied();
    }

    @Test
    void anApiServerAnswering429ToEveryRetryFailsTheReconcileAndTheNextOneConverges() {
        f.cluster.failWhen(APPLY_OF_WEB, 429, Integer.MAX_VALUE, Map.of("Retry-After", "0"));

        assertFailedMidApply(reconcile(), "429");
        assertThat(f.live("web")).isNull();

        f.cluster.clearFailures();
        assertRecovers();
    }

    @Test
    void aDecisionRecordThatCannotBeWrittenIsWrittenByTheNextReconcile() throws Exception {
        f.cluster.failWhen(c -> c.isWrite() && c.path().contains("/decisionrecords"), 500, Integer.MAX_VALUE);

        assertThat(reconcile()).isInstanceOf(ReconcileOutcome.Applied.class);
        f.assertConverged();
        assertThat(f.store().latest(EnvironmentName.of("production"))).as("no record while the API server refuses it").isEmpty();

        f.cluster.clearFailures();
        assertThat(reconcile()).isInstanceOf(ReconcileOutcome.Applied.class);
        assertThat(f.store().latest(EnvironmentName.of("production"))).hasValueSatisfying(record -> {
            assertThat(record.decision()).isEqualTo("PASS");
            assertThat(record.applied()).isTrue();
        });
        f.assertNothingUnverifiedApplied();
    }
}
