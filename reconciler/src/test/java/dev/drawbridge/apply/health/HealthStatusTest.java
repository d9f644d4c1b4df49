package dev.drawbridge.apply.health;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.apply.ObjectRef;
import dev.drawbridge.apply.testing.TestObjects;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The rollout rules of {@link Health}, kind by kind, without a server. */
class HealthStatusTest {

    @Test
    void aDeploymentIsHealthyWhenEveryReplicaIsUpdatedAndAvailableAtTheCurrentGeneration() {
        ObjectRef ref = new ObjectRef("apps/v1", "Deployment", "shop", "api");
        assertThat(Health.of(ref, live("""
                kind: Deployment
                metadata: {generation: 3}
                spec: {replicas: 2}
                status: {observedGeneration: 3, updatedReplicas: 2, availableReplicas: 2}
                """)).healthy()).isTrue();
        assertThat(Health.of(ref, live("""
                kind: Deployment
                metadata: {generation: 3}
                spec: {replicas: 2}
                status: {observedGeneration: 2, updatedReplicas: 2, availableReplicas: 2}
                """)).detail()).isEqualTo("generation 3 not observed yet (observed 2)");
        assertThat(Health.of(ref, live("""
                kind: Deployment
                metadata: {generation: 3}
                spec: {replicas: 2}
                status: {observedGeneration: 3, updatedReplicas: 2, availableReplicas: 1}
                """)).detail()).isEqualTo("1/2 replicas available");
        assertThat(Health.of(ref, live("""
                kind: Deployment
                metadata: {generation: 1}
                spec: {replicas: 2}
                status:
                  observedGeneration: 1
                  conditions: [{type: Progressing, status: "False", reason: ProgressDeadlineExceeded}]
                """)).failed()).isTrue();
    }

    @Test
    void aStatefulSetIsHealthyWhenEveryReplicaIsReadyAtTheUpdateRevision() {
        ObjectRef ref = new ObjectRef("apps/v1", "StatefulSet", "shop", "db");
        assertThat(Health.of(ref, live("""
                metadata: {generation: 1}
                spec: {replicas: 3}
                status: {observedGeneration: 1, readyReplicas: 3, currentRevision: db-1, updateRevision: db-1}
                """)).healthy()).isTrue();
        assertThat(Health.of(ref, live("""
                metadata: {generation: 1}
                spec: {replicas: 3}
                status: {observedGeneration: 1, readyReplicas: 3, currentRevision: db-1, updateRevision: db-2}
                """)).healthy()).isFalse();
    }

    @Test
    void aDaemonSetIsHealthyWhenEveryScheduledPodIsUpdatedAndReady() {
        ObjectRef ref = new ObjectRef("apps/v1", "DaemonSet", "kube-system", "agent");
        assertThat(Health.of(ref, live("""
                metadata: {generation: 1}
                status: {observedGeneration: 1, desiredNumberScheduled: 4, updatedNumberScheduled: 4, numberReady: 4}
                """)).healthy()).isTrue();
        assertThat(Health.of(ref, live("""
                metadata: {generation: 1}
                status: {observedGeneration: 1, desiredNumberScheduled: 4, updatedNumberScheduled: 4, numberReady: 3}
                """)).detail()).isEqualTo("3/4 pods ready");
    }

    @Test
    void aJobIsHealthyWhenComplete() {
        ObjectRef ref = new ObjectRef("batch/v1", "Job", "shop", "migrate");
        assertThat(Health.of(ref, live("status: {conditions: [{type: Complete, status: \"True\"}]}")).healthy()).isTrue();
        assertThat(Health.of(ref, live("status: {active: 1}")).healthy()).isFalse();
    }

    @Test
    void onlyWorkloadsAreChecked() {
        assertThat(Health.isChecked(new ObjectRef("v1", "ConfigMap", "shop", "c"))).isFalse();
        assertThat(Health.isChecked(new ObjectRef("apps/v1", "Deployment", "shop", "c"))).isTrue();
    }

    private static JsonNode live(String yaml) {
        return TestObjects.parse(yaml).get(0);
    }
}
