package dev.drawbridge.apply.health;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.apply.Action;
import dev.drawbridge.apply.ApplyException;
import dev.drawbridge.apply.ApplyRequest;
import dev.drawbridge.apply.ChangeSet;
import dev.drawbridge.apply.KubernetesApplier;
import dev.drawbridge.apply.testing.ApplyingMockServer;
import dev.drawbridge.apply.testing.MutableClock;
import dev.drawbridge.apply.testing.TestObjects;
import dev.drawbridge.values.EnvironmentName;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HealthTest {

    ApplyingMockServer server;
    MutableClock clock = MutableClock.atEpoch();
    /** Runs once the applier has slept this many times. */
    List<Runnable> afterSleeps = new ArrayList<>();
    int sleeps;
    KubernetesApplier applier;
    List<ObjectNode> shop = TestObjects.load("/apply/shop.yaml");

    @BeforeEach
    void start() {
        server = ApplyingMockServer.start();
        applier = new KubernetesApplier(server.client(), KubernetesApplier.Settings.defaults(), clock, duration -> {
            clock.advance(duration);
            sleeps++;
            if (sleeps <= afterSleeps.size()) {
                afterSleeps.get(sleeps - 1).run();
            }
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void failsNamingTheDeploymentsThatNeverBecomeReady() {
        afterSleeps.add(() -> markReady("worker", 1));

        assertThatThrownBy(() -> applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop).withHealthWait(Duration.ofSeconds(30))))
                .isInstanceOfSatisfying(ApplyException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ApplyException.Reason.HEALTH_FAILED);
                    assertThat(e.objectIds()).containsExactly("Deployment/shop/api");
                    assertThat(e.getMessage()).startsWith("Deployment/shop/api: not healthy after 30s:");
                    assertThat(e.changeSet().count(Action.CREATED)).isEqualTo(5);
                });
        assertThat(clock.instant()).isEqualTo(MutableClock.atEpoch().instant().plusSeconds(30));
    }

    @Test
    void succeedsOnceTheDeploymentsAreReady() throws Exception {
        afterSleeps.add(() -> markReady("worker", 1));
        afterSleeps.add(() -> markReady("api", 2));

        ChangeSet changes = applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop).withHealthWait(Duration.ofSeconds(30)));

        assertThat(changes.count(Action.CREATED)).isEqualTo(5);
        assertThat(sleeps).isEqualTo(2);
    }

    @Test
    void doesNotWaitWhenNotAsked() throws Exception {
        applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), shop));

        assertThat(sleeps).isZero();
    }

    @Test
    void failsAtOnceOnAFailedJob() {
        List<ObjectNode> job = TestObjects.parse("""
                apiVersion: batch/v1
                kind: Job
                metadata: {name: migrate, namespace: shop}
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                        - {name: migrate, image: "registry.example.com/shop/migrate@sha256:%s"}
                """.formatted("5".repeat(64)));
        afterSleeps.add(() -> server.client().batch().v1().jobs().inNamespace("shop").withName("migrate").editStatus(j -> {
            j.setStatus(new JobStatusBuilder().withConditions(new JobConditionBuilder().withType("Failed").withStatus("True")
                    .withReason("BackoffLimitExceeded").build()).build());
            return j;
        }));

        assertThatThrownBy(() -> applier.apply(ApplyRequest.of(EnvironmentName.of("dev"), job).withHealthWait(Duration.ofMinutes(5))))
                .isInstanceOfSatisfying(ApplyException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ApplyException.Reason.HEALTH_FAILED);
                    assertThat(e.getMessage()).isEqualTo("Job/shop/migrate: failed: BackoffLimitExceeded");
                });
        assertThat(sleeps).isEqualTo(1);
    }

    private void markReady(String name, int replicas) {
        server.client().apps().deployments().inNamespace("shop").withName(name).editStatus(d -> {
            d.setStatus(new DeploymentStatusBuilder().withObservedGeneration(d.getMetadata().getGeneration())
                    .withReplicas(replicas).withUpdatedReplicas(replicas).withReadyReplicas(replicas)
                    .withAvailableReplicas(replicas).build());
            return d;
        });
    }
}
