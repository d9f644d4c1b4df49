package dev.drawbridge.decision;

import dev.drawbridge.decision.DecisionRecord.RecordedImage;
import dev.drawbridge.apply.testing.ApplyingMockServer;
import dev.drawbridge.values.CommitId;
import dev.drawbridge.values.EnvironmentName;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Decision records kept in the cluster as DecisionRecord custom resources (CRD from {@code deploy/}). */
class DecisionStoreTest {

    static final String NS = "drawbridge-system";
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final String POLICY = "9a8b7c6d5e4f3a2b1c0d9a8b7c6d5e4f3a2b1c0d";

    ApplyingMockServer server;
    KubernetesDecisionStore store;

    @BeforeEach
    void start() {
        server = ApplyingMockServer.start();
        store = new KubernetesDecisionStore(server.client());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void listsAnEnvironmentsHistoryOldestFirst() throws Exception {
        installCrd();
        DecisionRecord fixed = pass("production", sha(2), T0.plusSeconds(3600), true, image("shop/api:10", 2));
        DecisionRecord blocked = block("production", sha(1), T0);
        store.record(fixed);
        store.record(blocked);
        store.record(pass("dev", sha(3), T0.plusSeconds(60), true, image("shop/api:10", 2)));

        assertThat(store.history(EnvironmentName.of("production"))).containsExactly(blocked, fixed);
        assertThat(store.history(EnvironmentName.of("acceptance"))).isEmpty();
    }

    @Test
    void recordsADecisionAndReadsItBack() throws Exception {
        installCrd();
        DecisionRecord record = pass("dev", sha(1), T0, true, image("shop/api:1.4.2", 1), image("shop/web:2.0", 2));

        store.record(record);

        assertThat(store.latest(EnvironmentName.of("dev"))).contains(record);
        assertThat(store.latest(EnvironmentName.of("production"))).isEmpty();
        GenericKubernetesResource stored = records().withName("dev-" + sha(1).substring(0, 12) + "-9a8b7c6d").get();
        assertThat(stored.getMetadata().getLabels())
                .containsEntry("drawbridge.dev/environment", "dev")
                .containsEntry("drawbridge.dev/decision", "PASS")
                .containsEntry("app.kubernetes.io/managed-by", "drawbridge");
        assertThat(server.client().namespaces().withName(NS).get()).isNotNull();
    }

    @Test
    void reRecordingTheSameRevisionUpdatesItWithoutADuplicate() throws Exception {
        installCrd();
        store.record(block("dev", sha(1), T0));
        DecisionRecord applied = pass("dev", sha(1), T0.plusSeconds(60), true, image("shop/api:1.4.2", 1));

        store.record(applied);
        // a second replica (or a restart) records the same decision: nothing new, nothing written
        server.clearRequests();
        new KubernetesDecisionStore(server.client()).record(applied);

        assertThat(records().list().getItems()).hasSize(1);
        assertThat(store.latest(EnvironmentName.of("dev"))).contains(applied);
        assertThat(server.writes()).isEmpty();
    }

    @Test
    void anExpectedRecordIsLookedUpAheadAndWrittenWithoutAReadWhenThereIsNone() throws Exception {
        installCrd();
        store.record(block("dev", sha(0), T0)); // the namespace exists from here on
        server.clearRequests();

        store.expect(EnvironmentName.of("dev"), CommitId.of(sha(1)), POLICY);
        awaitRequests(1);
        assertThat(server.requests()).singleElement().satisfies(get -> {
            assertThat(get.method()).isEqualTo("GET");
            assertThat(get.path()).endsWith("/decisionrecords/" + name("dev", 1));
        });
        server.clearRequests();
        DecisionRecord record = pass("dev", sha(1), T0.plusSeconds(1), true, image("shop/api:1.4.2", 1));
        store.record(record);

        assertThat(server.requests()).as("the write alone").singleElement().satisfies(write -> {
            assertThat(write.method()).isEqualTo("PATCH");
            assertThat(write.contentType()).startsWith("application/apply-patch+yaml");
        });
        assertThat(store.latest(EnvironmentName.of("dev"))).contains(record);
    }

    @Test
    void onlyTheAbsenceOfARecordIsTakenFromTheLookAhead() throws Exception {
        installCrd();
        DecisionRecord record = pass("dev", sha(1), T0, true, image("shop/api:1.4.2", 1));
        KubernetesDecisionStore replica = new KubernetesDecisionStore(server.client());
        replica.record(record);

        // found ahead: read again when recording, and the same decision is not written again
        server.clearRequests();
        store.expect(EnvironmentName.of("dev"), CommitId.of(sha(1)), POLICY);
        awaitRequests(1);
        server.clearRequests();
        store.record(record);
        assertThat(server.writes()).isEmpty();

        // none ahead, then another replica records a different decision under the name: this one is written over it
        server.clearRequests();
        store.expect(EnvironmentName.of("dev"), CommitId.of(sha(2)), POLICY);
        awaitRequests(1);
        replica.record(block("dev", sha(2), T0.plusSeconds(1)));
        DecisionRecord applied = pass("dev", sha(2), T0.plusSeconds(2), true, image("shop/api:1.4.3", 3));
        store.record(applied);
        assertThat(records().withName(name("dev", 2)).get()).isNotNull();
        assertThat(store.latest(EnvironmentName.of("dev"))).contains(applied);
    }

    @Test
    void aRecordDeletedSinceThisStoreWroteItIsWrittenAgainOnceItIsLookedUpAgain() throws Exception {
        installCrd();
        dev.drawbridge.apply.testing.MutableClock clock = dev.drawbridge.apply.testing.MutableClock.atEpoch();
        store = new KubernetesDecisionStore(server.client(), KubernetesDecisionStore.Settings.defaults(), clock);
        DecisionRecord record = pass("dev", sha(1), T0, true, image("shop/api:1.4.2", 1));
        store.expect(EnvironmentName.of("dev"), CommitId.of(sha(1)), POLICY);
        store.record(record);

        // the same decision again, written lately: nothing read, nothing written
        server.clearRequests();
        store.expect(EnvironmentName.of("dev"), CommitId.of(sha(1)), POLICY);
        store.record(record);
        assertThat(server.requests()).isEmpty();

        // deleted by hand: written again by the first reconcile of that revision RECHECK_EVERY after it was last seen
        records().withName(name("dev", 1)).delete();
        clock.advance(KubernetesDecisionStore.RECHECK_EVERY.minusSeconds(1));
        server.clearRequests();
        store.expect(EnvironmentName.of("dev"), CommitId.of(sha(1)), POLICY);
        store.record(record);
        assertThat(server.requests()).as("not yet looked up again").isEmpty();

        clock.advance(Duration.ofSeconds(1));
        store.expect(EnvironmentName.of("dev"), CommitId.of(sha(1)), POLICY);
        awaitRequests(1);
        store.record(record);
        assertThat(server.writes()).singleElement().satisfies(write -> assertThat(write.method()).isEqualTo("PATCH"));
        assertThat(store.latest(EnvironmentName.of("dev"))).contains(record);
        assertThat(store.appliedPassDigests(EnvironmentName.of("dev"))).containsExactly(digest(1));

        // still there when looked up: seen again, so not looked up for another RECHECK_EVERY
        clock.advance(KubernetesDecisionStore.RECHECK_EVERY);
        server.clearRequests();
        store.expect(EnvironmentName.of("dev"), CommitId.of(sha(1)), POLICY);
        awaitRequests(1);
        store.record(record);
        assertThat(server.writes()).isEmpty();
        clock.advance(KubernetesDecisionStore.RECHECK_EVERY.minusSeconds(1));
        server.clearRequests();
        store.expect(EnvironmentName.of("dev"), CommitId.of(sha(1)), POLICY);
        store.record(record);
        assertThat(server.requests()).isEmpty();
    }

    /** Waits until the look-ahead of {@link KubernetesDecisionStore#expect} reached the server. */
    private void awaitRequests(int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> server.requests().size() >= count);
    }

    @Test
    void appliedPassDigestsAreOnlyThoseOfAppliedPassRecordsOfTheEnvironment() throws Exception {
        installCrd();
        store.record(pass("acceptance", sha(1), T0, true, image("shop/api:1.4.2", 1), image("shop/web:2.0", 2)));
        store.record(pass("acceptance", sha(2), T0.plusSeconds(1), true, image("shop/api:1.4.3", 3),
                new RecordedImage("shop/unresolved:1", null, "WARN")));
        store.record(pass("acceptance", sha(3), T0.plusSeconds(2), false, image("shop/api:1.5.0", 4)));
        store.record(new DecisionRecord(EnvironmentName.of("acceptance"), sha(4), POLICY, "BLOCK", T0.plusSeconds(3),
                List.of(new RecordedImage("shop/api:1.6.0", digest(5), "BLOCK", List.of("scan.severity"))), false,
                "GATE_BLOCKED", "blocked: shop/api CVE-2026-1234 CRITICAL"));
        store.record(pass("dev", sha(5), T0, true, image("shop/api:1.7.0", 6)));

        assertThat(store.appliedPassDigests(EnvironmentName.of("acceptance"))).containsExactlyInAnyOrder(digest(1), digest(2), digest(3));
        assertThat(store.appliedPassDigests(EnvironmentName.of("dev"))).containsExactly(digest(6));
        assertThat(store.appliedPassDigests(EnvironmentName.of("production"))).isEmpty();
        assertThat(store.latest(EnvironmentName.of("acceptance"))).get().extracting(DecisionRecord::decision).isEqualTo("BLOCK");
    }

    @Test
    void aClusterWithoutTheCrdGivesAClearError() {
        // The mock serves custom resources of any kind; a real API server answers 404 for a kind it does not serve.
        server.failWhen(call -> call.path().contains("/decisionrecords"), 404, Integer.MAX_VALUE);
        DecisionRecord record = pass("dev", sha(1), T0, true, image("shop/api:1.4.2", 1));

        assertThatThrownBy(() -> store.record(record))
                .isInstanceOf(DecisionStoreException.class)
                .hasMessage("the DecisionRecord CRD (decisionrecords.drawbridge.dev) is not installed; apply deploy/ (kubectl apply -k deploy)")
                .extracting(e -> ((DecisionStoreException) e).reason()).isEqualTo(DecisionStoreException.Reason.CRD_NOT_INSTALLED);
        assertThatThrownBy(() -> store.appliedPassDigests(EnvironmentName.of("dev")))
                .hasMessageContaining("decisionrecords.drawbridge.dev").hasMessageContaining("kubectl apply -k deploy");
        assertThatThrownBy(() -> store.latest(EnvironmentName.of("dev"))).isInstanceOf(DecisionStoreException.class);
    }

    @Test
    void aFailingApiServerIsAClusterFailureNotAMissingCrd() throws Exception {
        installCrd();
        server.failWhen(call -> call.path().contains("/decisionrecords"), 500, Integer.MAX_VALUE);

        assertThatThrownBy(() -> store.appliedPassDigests(EnvironmentName.of("dev")))
                .isInstanceOf(DecisionStoreException.class)
                .hasMessageStartingWith("DecisionRecord/drawbridge-system: could not list decision records: 500")
                .extracting(e -> ((DecisionStoreException) e).reason()).isEqualTo(DecisionStoreException.Reason.CLUSTER_FAILED);
    }

    @Test
    void retentionKeepsTheNewestRecordsPerEnvironmentAndTheNewestAppliedPass() throws Exception {
        installCrd();
        store = new KubernetesDecisionStore(server.client(), KubernetesDecisionStore.Settings.defaults().withKeepPerEnvironment(3));
        store.record(pass("dev", sha(1), T0, true, image("shop/api:1", 1)));
        store.record(pass("production", sha(2), T0, true, image("shop/api:1", 1)));
        for (int i = 1; i <= 5; i++) {
            store.record(block("dev", sha(10 + i), T0.plus(Duration.ofMinutes(i))));
        }

        assertThat(records().withLabel("drawbridge.dev/environment", "dev").list().getItems())
                .extracting(r -> r.getMetadata().getName())
                .containsExactlyInAnyOrder(name("dev", 1), name("dev", 14), name("dev", 15));
        assertThat(store.appliedPassDigests(EnvironmentName.of("dev"))).containsExactly(digest(1));
        assertThat(records().withLabel("drawbridge.dev/environment", "production").list().getItems()).hasSize(1);

        store.record(pass("dev", sha(20), T0.plus(Duration.ofMinutes(10)), true, image("shop/api:2", 2)));
        assertThat(records().withLabel("drawbridge.dev/environment", "dev").list().getItems())
                .extracting(r -> r.getMetadata().getName())
                .containsExactlyInAnyOrder(name("dev", 14), name("dev", 15), name("dev", 20));
    }

    @Test
    void aStoreFromAKubeconfigReadsWhatAnotherReplicaRecorded(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        installCrd();
        DecisionRecord record = pass("acceptance", sha(1), T0, true, image("shop/api:1.4.2", 1));
        store.record(record);

        try (KubernetesDecisionStore other = KubernetesDecisionStore.fromKubeconfig(
                server.writeKubeconfig(dir.resolve("kubeconfig")), null, KubernetesDecisionStore.Settings.defaults())) {
            assertThat(other.appliedPassDigests(EnvironmentName.of("acceptance"))).containsExactly(digest(1));
            assertThat(other.latest(EnvironmentName.of("acceptance"))).contains(record);
        }
    }

    @Test
    void namesAreDeterministicDnsLabelsAndUseTheTimeWithoutARevision() {
        DecisionRecord noRevision = new DecisionRecord(EnvironmentName.of("dev"), null, null, "ERROR", T0.plusMillis(5), List.of(), false,
                "SOURCE_FAILED", "could not fetch env/dev");
        assertThat(DecisionRecordObjects.objectName(noRevision)).isEqualTo("dev-t20260301-100000005");

        // an environment name is a DNS label of at most 63 characters: the longest is shortened to fit the suffix
        DecisionRecord longName = pass("team-payments-production-" + "x".repeat(38), "sha1:" + sha(1), T0, false);
        String name = DecisionRecordObjects.objectName(longName);
        assertThat(name).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")
                .endsWith("-" + sha(1).substring(0, 12) + "-9a8b7c6d").startsWith("team-payments-production-");
        assertThat(DecisionRecordObjects.objectName(longName)).isEqualTo(name);
    }

    @Test
    void theSameDecisionIsEveryFieldButTheTime() {
        DecisionRecord record = pass("acceptance", sha(1), T0, true, image("shop/api:1.4.2", 1));
        assertThat(record.sameDecisionAs(pass("acceptance", sha(1), T0.plusSeconds(60), true, image("shop/api:1.4.2", 1)))).isTrue();
        assertThat(record.sameDecisionAs(pass("acceptance", sha(1), T0, false, image("shop/api:1.4.2", 1)))).isFalse();
        assertThat(record.sameDecisionAs(pass("acceptance", sha(2), T0, true, image("shop/api:1.4.2", 1)))).isFalse();
        assertThat(record.sameDecisionAs(pass("acceptance", sha(1), T0, true, image("shop/api:1.4.2", 2)))).isFalse();
        assertThat(record.sameDecisionAs(pass("production", sha(1), T0, true, image("shop/api:1.4.2", 1)))).isFalse();
        assertThat(record.sameDecisionAs(null)).isFalse();
    }

    @Test
    void recordsRefuseWhatTheCrdWouldRefuse() {
        assertThatThrownBy(() -> new DecisionRecord(EnvironmentName.of("dev"), sha(1), POLICY, "BLOCK", T0, List.of(), true, null, ""))
                .hasMessageContaining("Only a PASS decision can be applied");
        assertThatThrownBy(() -> new RecordedImage("shop/api:1", "sha256:abc", "PASS"))
                .hasMessage("Invalid digest (sha256:<64 hex>): sha256:abc");
        assertThatThrownBy(() -> new DecisionRecord(EnvironmentName.of("dev"), sha(1), POLICY, "PASS", T0, List.of(), false, null, "x".repeat(141)))
                .hasMessageStartingWith("Description longer than 140 characters (141)");
        assertThatThrownBy(() -> new DecisionRecord(EnvironmentName.of("dev"), sha(1), POLICY, "MAYBE", T0, List.of(), false, null, ""))
                .hasMessage("Invalid decision (PASS, BLOCK or ERROR): MAYBE");
    }

    // --- helpers

    private void installCrd() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.isDirectory(root.resolve("deploy"))) {
            root = root.getParent();
        }
        assertThat(root).as("a deploy/ directory above the working directory").isNotNull();
        String yaml = Files.readString(root.resolve("deploy/crd-decisionrecords.yaml"));
        CustomResourceDefinition crd = server.client().getKubernetesSerialization().unmarshal(yaml, CustomResourceDefinition.class);
        server.client().apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }

    private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<GenericKubernetesResource,
            io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
            io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>> records() {
        return server.client().genericKubernetesResources(new ResourceDefinitionContext.Builder()
                .withGroup("drawbridge.dev").withVersion("v1alpha1").withKind("DecisionRecord")
                .withPlural("decisionrecords").withNamespaced(true).build()).inNamespace(NS);
    }

    static String name(String env, int sha) {
        return env + "-" + sha(sha).substring(0, 12) + "-9a8b7c6d";
    }

    static DecisionRecord pass(String env, String revision, Instant time, boolean applied, RecordedImage... images) {
        return new DecisionRecord(EnvironmentName.of(env), revision, POLICY, "PASS", time, List.of(images), applied,
                applied ? null : "APPLY_FAILED", applied ? "passed: " + images.length + " images" : "apply failed");
    }

    static DecisionRecord block(String env, String revision, Instant time) {
        return new DecisionRecord(EnvironmentName.of(env), revision, POLICY, "BLOCK", time,
                List.of(new RecordedImage("shop/api:9", digest(99), "BLOCK", List.of("scan.severity"))), false,
                "GATE_BLOCKED", "blocked: shop/api");
    }

    static RecordedImage image(String reference, int digest) {
        return new RecordedImage(reference, digest(digest), "PASS");
    }

    static String sha(int n) {
        return String.format("%08x", n) + "4f2c".repeat(8);
    }

    static String digest(int n) {
        return "sha256:" + String.format("%064x", (long) n);
    }
}
