package dev.drawbridge.apply;

import dev.drawbridge.apply.testing.ApplyingMockServer;
import dev.drawbridge.apply.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** An applier against a fresh mock API server per test, on a clock whose waits take no time. */
abstract class MockClusterTest {

    ApplyingMockServer server;
    KubernetesApplier applier;

    @BeforeEach
    void startServer() {
        server = ApplyingMockServer.start();
        MutableClock clock = MutableClock.atEpoch();
        applier = new KubernetesApplier(server.client(), KubernetesApplier.Settings.defaults(), clock, clock::advance);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }
}
