package dev.drawbridge.faults;

import dev.drawbridge.reconcile.ReconcileOutcome;
import dev.drawbridge.reconcile.ReconcilePipeline;
import dev.drawbridge.reconcile.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The work directory's disk is full: a 1 MiB tmpfs, filled up (mounting needs root: the test is skipped, saying so,
 * where it cannot mount). The reconcile fails at its source, writes nothing to the cluster, and converges once space
 * is freed.
 */
class DiskFullTest {

    @TempDir
    Path dir;

    static boolean run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    }

    @Test
    void aFullWorkDirectoryFailsTheSourceWritesNothingAndTheEnvironmentConvergesOnceSpaceIsFreed() throws Exception {
        Path disk = Files.createDirectories(dir.resolve("disk"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", disk.toString()),
                "cannot mount a 1 MiB tmpfs here (needs root): the full disk is not simulated");
        try (FaultFixture f = new FaultFixture(dir)) {
            Path filler = disk.resolve("filler");
            try (OutputStream out = Files.newOutputStream(filler)) {
                byte[] block = new byte[4096];
                while (true) {
                    out.write(block);
                }
            } catch (IOException full) {
                // no space left on device
            }
            ReconcilePipeline pipeline = f.pipeline(Clock.systemUTC(), disk.resolve("work"));

            ReconcileOutcome outcome = pipeline.reconcile(f.config, f.env);

            assertThat(outcome).isInstanceOf(ReconcileOutcome.Failed.class);
            assertThat(((ReconcileOutcome.Failed) outcome).reason()).isEqualTo(Reason.SOURCE_FAILED);
            assertThat(f.cluster.writes()).filteredOn(c -> c.path().contains("/namespaces/shop/")).isEmpty();

            Files.delete(filler);
            assertThat(pipeline.reconcile(f.config, f.env)).isInstanceOf(ReconcileOutcome.Applied.class);
            f.assertConverged();
            f.assertNothingUnverifiedApplied();
        } finally {
            run("umount", "-l", disk.toString());
        }
    }
}
