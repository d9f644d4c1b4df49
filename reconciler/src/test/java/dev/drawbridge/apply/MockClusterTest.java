package dev.drawbridge.apply;

import dev.drawbridge.apply.testing.ApplyingMockServer;
import dev.drawbridge.apply.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * An applier against a fresh mock API server per test, on a clock whose waits take no time. It reads the live
 * state with labelled lists at every apply (no watches: what the applier falls back to until a watch has synced),
 * so a test may edit an object and apply at once; {@link LiveStateTest} tests the watches.
 */
public abstract class MockClusterTest {

    protected ApplyingMockServer server;
    protected KubernetesApplier applier;

    @BeforeEach
    protected void startServer() {
        server = ApplyingMockServer.start();
        MutableClock clock = MutableClock.atEpoch();
        applier = new KubernetesApplier(server.client(), KubernetesApplier.Settings.defaults().withWatch(false), clock,
                clock::advance);
    }

    @AfterEach
    protected void stopServer() {
        applier.close();
        server.close();
    }
}
