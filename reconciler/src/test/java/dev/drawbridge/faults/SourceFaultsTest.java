package dev.drawbridge.faults;

import dev.drawbridge.reconcile.ReconcileOutcome;
import dev.drawbridge.reconcile.ReconcilePipeline;
import dev.drawbridge.reconcile.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Git and the work directory fail: the remote is unreachable, the slot an environment's tree is kept in
 * ({@code <work>/slots/<hash>}) was corrupted behind Drawbridge's back. Nothing that Git did not review is
 * applied, and the environment converges once the fault is gone.
 */
class SourceFaultsTest {

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

    /** The slot of the environment's tree, as {@code JGitSource} names it. */
    Path slot() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest("environment/production".getBytes(StandardCharsets.UTF_8));
        return dir.resolve("work/slots").resolve(HexFormat.of().formatHex(digest, 0, 8));
    }

    @Test
    void anUnreachableGitRemoteFailsTheSourceWritesNothingAndTheEnvironmentConvergesOnceItIsBack() throws IOException {
        assertThat(reconcile()).isInstanceOf(ReconcileOutcome.Applied.class);
        f.commitOnBranch("app/web.yaml", FaultFixture.deployment("web", FaultFixture.reference(f.images.get("web")), 4));
        Path away = dir.resolve("repo-away");
        Files.move(f.repo.dir(), away);
        f.cluster.clearRequests();

        ReconcileOutcome outcome = reconcile();

        assertThat(outcome).isInstanceOf(ReconcileOutcome.Failed.class);
        assertThat(((ReconcileOutcome.Failed) outcome).reason()).isEqualTo(Reason.SOURCE_FAILED);
        assertThat(f.cluster.writes()).filteredOn(c -> c.path().contains("/namespaces/shop/")).isEmpty();
        assertThat(f.live("web").getSpec().getReplicas()).as("the cluster keeps what it runs").isEqualTo(2);

        Files.move(away, f.repo.dir());
        assertThat(reconcile()).isInstanceOf(ReconcileOutcome.Applied.class);
        assertThat(f.live("web").getSpec().getReplicas()).isEqualTo(4);
        f.assertConverged();
        f.assertNothingUnverifiedApplied();
    }

    @Test
    void aSlotWhoseFilesWereChangedIsWrittenAgainFromGitAndRenderedAgain() throws Exception {
        assertThat(reconcile()).isInstanceOf(ReconcileOutcome.Applied.class);
        Path api = slot().resolve("app/api.yaml");
        assertThat(api).exists();
        // a changed file that Git never reviewed: more replicas and an image that fails the gate
        Files.writeString(api, FaultFixture.deployment("api", FaultFixture.reference(f.bad), 9));
        Files.delete(slot().resolve("app/worker.yaml"));
        f.commitOnBranch("app/web.yaml", FaultFixture.deployment("web", FaultFixture.reference(f.images.get("web")), 3));

        ReconcileOutcome outcome = reconcile();

        assertThat(outcome).isInstanceOf(ReconcileOutcome.Applied.class);
        assertThat(f.live("api").getSpec().getReplicas()).isEqualTo(2);
        assertThat(f.live("web").getSpec().getReplicas()).isEqualTo(3);
        assertThat(Files.readString(api)).contains(FaultFixture.reference(f.images.get("api")));
        f.assertConverged();
        f.assertNothingUnverifiedApplied();
    }

    /**
     * The slot's files are checked while the new revision is rendered: a change by hand that still renders (Kustomize
     * succeeds on it) is found by that check, and what was rendered from it is dropped, not gated or applied.
     */
    @Test
    void aFileChangedByHandThatStillRendersIsFoundAndWhatWasRenderedFromItIsDropped() throws Exception {
        assertThat(reconcile()).isInstanceOf(ReconcileOutcome.Applied.class);
        f.commitOnBranch("app/web.yaml", FaultFixture.deployment("web", FaultFixture.reference(f.images.get("web")), 3));
        assertThat(reconcile()).as("a revision updated in place").isInstanceOf(ReconcileOutcome.Applied.class);
        Path api = slot().resolve("app/api.yaml");
        Files.writeString(api, FaultFixture.deployment("api", FaultFixture.reference(f.images.get("api")), 9));
        f.commitOnBranch("app/web.yaml", FaultFixture.deployment("web", FaultFixture.reference(f.images.get("web")), 4));

        ReconcileOutcome outcome = reconcile();

        assertThat(outcome).isInstanceOf(ReconcileOutcome.Applied.class);
        assertThat(f.live("api").getSpec().getReplicas()).as("Git's replicas, not the edit's").isEqualTo(2);
        assertThat(f.live("web").getSpec().getReplicas()).isEqualTo(4);
        assertThat(Files.readString(api)).doesNotContain("replicas: 9");
        f.assertConverged();
        f.assertNothingUnverifiedApplied();
    }

    @Test
    void aSlotWhoseRevisionMarkerIsGarbageIsWrittenWholeAgain() throws Exception {
        assertThat(reconcile()).isInstanceOf(ReconcileOutcome.Applied.class);
        Path marker = slot().resolveSibling(slot().getFileName() + ".sha");
        assertThat(marker).exists();
        Files.write(marker, new byte[] {0, (byte) 0xff, 'x'});
        Files.writeString(slot().resolve("app/kustomization.yaml"), "resources: [nowhere.yaml\n");

        assertThat(reconcile()).isInstanceOf(ReconcileOutcome.Applied.class);
        f.assertConverged();
        f.assertNothingUnverifiedApplied();
    }
}
