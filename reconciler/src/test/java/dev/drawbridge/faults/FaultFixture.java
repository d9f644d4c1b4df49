package dev.drawbridge.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.apply.KubernetesApplier;
import dev.drawbridge.apply.KubernetesClients;
import dev.drawbridge.apply.testing.ApplyingMockServer;
import dev.drawbridge.config.ConfigLoader;
import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.decision.KubernetesDecisionStore;
import dev.drawbridge.reconcile.CommitStatuses;
import dev.drawbridge.reconcile.Engines;
import dev.drawbridge.reconcile.Ownership;
import dev.drawbridge.reconcile.ReconcilePipeline;
import dev.drawbridge.testing.GitFixtures;
import dev.drawbridge.testing.HarborStandIn;
import dev.drawbridge.values.EnvironmentName;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One environment ({@code production}, three Deployments: {@code api}, {@code web}, {@code worker} in namespace
 * {@code shop}) made of real parts: a Git repository, a Harbor stand-in holding scanned images, the mock API
 * server (with its SSA shim) reached through a kubeconfig and the clients serve builds from it (the same
 * retries and timeouts). Faults are injected into these parts; {@link #assertConverged()} and
 * {@link #assertNothingUnverifiedApplied()} say where every fault test must end.
 */
final class FaultFixture implements AutoCloseable {

    static final List<String> APPS = List.of("api", "web", "worker");
    static final String NAMESPACE = "shop";

    static final String POLICY = """
            apiVersion: drawbridge.dev/v1alpha1
            kind: GatePolicy
            metadata: {name: production}
            spec:
              registries: {allow: ["harbor.example.com/prod/**"]}
              scan: {required: true, maxAge: 7d, blockSeverities: [CRITICAL, HIGH]}
            """;

    final Path dir;
    final GitFixtures repo;
    final HarborStandIn registry;
    final ApplyingMockServer cluster;
    /** What the clients waited for the API server's {@code Retry-After}, in order; recorded, not slept. */
    final List<Duration> retryAfterWaits = new java.util.concurrent.CopyOnWriteArrayList<>();
    final KubernetesClients clients = new KubernetesClients(retryAfterWaits::add);
    final Path kubeconfig;
    /** The images Git names, by app, as pushed and scanned (PASS under the policy). */
    final Map<String, HarborStandIn.Image> images = new LinkedHashMap<>();
    /** An image with a fixable CRITICAL finding (BLOCK under the policy). */
    final HarborStandIn.Image bad;
    DrawbridgeConfig config;
    EnvironmentConfig env;

    FaultFixture(Path dir) {
        this(dir, "");
    }

    /** @param environmentKeys extra keys of the environment, as YAML flow entries (e.g. {@code "interval: 1h"}) */
    FaultFixture(Path dir, String environmentKeys) {
        this.dir = dir;
        registry = HarborStandIn.start();
        Instant now = Instant.now();
        int tag = 1;
        for (String app : APPS) {
            images.put(app, registry.push("prod/shop/" + app, "1." + tag++, now.minus(Duration.ofDays(3)), "Success",
                    now.minusSeconds(600)));
        }
        bad = registry.push("prod/shop/bad", "1.0", now.minus(Duration.ofDays(3)), "Success", now.minusSeconds(600),
                new HarborStandIn.Vuln("CVE-2026-1234", "openssl", "3.0.13", "3.0.15", "Critical"));
        repo = GitFixtures.init(dir.resolve("repo"));
        repo.write("policies/production.yaml", POLICY);
        repo.write("app/kustomization.yaml", "resources: [" + String.join(", ", APPS.stream().map(a -> a + ".yaml").toList()) + "]\n");
        images.forEach((app, image) -> repo.write("app/" + app + ".yaml", deployment(app, reference(image), 2)));
        repo.commitAll("initial");
        repo.branch("env/production");
        cluster = ApplyingMockServer.start();
        kubeconfig = cluster.writeKubeconfig(dir.resolve("kubeconfig"));
        configure(environmentKeys);
    }

    static String reference(HarborStandIn.Image image) {
        return "harbor.example.com/" + image.repository() + ":" + image.tag();
    }

    static String deployment(String name, String image, int replicas) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %s, namespace: shop}
                spec:
                  replicas: %d
                  selector: {matchLabels: {app: %s}}
                  template:
                    metadata: {labels: {app: %s}}
                    spec:
                      containers:
                        - name: app
                          image: "%s"
                """.formatted(name, replicas, name, name, image);
    }

    /** (Re)writes the configuration file and loads it. */
    void configure(String environmentKeys) {
        Path file = dir.resolve("drawbridge.yaml");
        write(file, """
                git: {url: %s}
                registries:
                  - {host: harbor.example.com, type: harbor, url: %s, insecure: true, timeout: 10s}
                environments:
                  - {name: production, branch: env/production, path: app, cluster: {kubeconfig: %s, context: mock}%s}
                """.formatted(repo.url(), registry.url(), kubeconfig, environmentKeys.isEmpty() ? "" : ", " + environmentKeys));
        try {
            config = new ConfigLoader().load(file);
        } catch (dev.drawbridge.yaml.YamlValidationException e) {
            throw new IllegalStateException(e);
        }
        env = config.environment(EnvironmentName.of("production")).orElseThrow();
    }

    /** The applier serve uses for the environment's cluster (built from the kubeconfig, shared client). */
    KubernetesApplier applier() {
        return clients.applier(kubeconfig, "mock", KubernetesApplier.Settings.defaults());
    }

    KubernetesDecisionStore store() {
        return KubernetesDecisionStore.of(clients, kubeconfig, "mock", KubernetesDecisionStore.Settings.defaults());
    }

    /** The pipeline of serve for this environment, with its own work directory under {@code work}. */
    ReconcilePipeline pipeline(Clock clock, Path work) {
        return pipeline(clock, work, null, Ownership.ALONE);
    }

    ReconcilePipeline pipeline(Clock clock, Path work, CommitStatuses statuses, Ownership ownership) {
        return pipeline(clock, work, statuses, ownership, clients, kubeconfig);
    }

    /** A pipeline over its own clients and kubeconfig (a replica of its own: {@code ApplyingMockServer.Call#client}). */
    ReconcilePipeline pipeline(Clock clock, Path work, CommitStatuses statuses, Ownership ownership,
                               KubernetesClients clients, Path kubeconfig) {
        KubernetesApplier applier = clients.applier(kubeconfig, "mock", KubernetesApplier.Settings.defaults());
        KubernetesDecisionStore store = KubernetesDecisionStore.of(clients, kubeconfig, "mock", KubernetesDecisionStore.Settings.defaults());
        return new ReconcilePipeline(Engines.stages(config, clock), e -> applier, e -> store, statuses, work, ownership);
    }

    ReconcilePipeline pipeline() {
        return pipeline(Clock.systemUTC(), dir.resolve("work"));
    }

    /** Commits a change of {@code path} on the environment branch (null content: deletes it). */
    String commitOnBranch(String path, String content) {
        repo.checkout("env/production");
        try {
            if (content == null) {
                Files.delete(repo.dir().resolve(path));
            } else {
                repo.write(path, content);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String sha = repo.commitAll("change " + path);
        repo.checkout("main");
        return sha;
    }

    Deployment live(String app) {
        return cluster.client().apps().deployments().inNamespace(NAMESPACE).withName(app).get();
    }

    /** The verified, pinned form of every image Git names: what alone may run. */
    Set<String> verified() {
        return images.values().stream().map(i -> "harbor.example.com/" + i.repository() + "@" + i.digest())
                .collect(Collectors.toSet());
    }

    /** Every Deployment Git names is live, its image pinned to the verified digest, labelled as Drawbridge's. */
    void assertConverged() {
        for (String app : APPS) {
            Deployment live = live(app);
            assertThat(live).as(app + " is live").isNotNull();
            HarborStandIn.Image image = images.get(app);
            assertThat(live.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                    .isEqualTo("harbor.example.com/" + image.repository() + "@" + image.digest());
            assertThat(live.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "drawbridge")
                    .containsEntry("drawbridge.dev/environment", "production");
        }
    }

    /**
     * Every apply the API server received that holds a container names an image by a digest the gate verified
     * (never a tag, never an image that failed the gate), and nothing Drawbridge applied was deleted.
     */
    void assertNothingUnverifiedApplied() {
        Set<String> verified = verified();
        for (ApplyingMockServer.Call call : cluster.applies()) {
            JsonNode body = call.bodyTree();
            for (JsonNode container : body.path("spec").path("template").path("spec").path("containers")) {
                assertThat(container.path("image").asText()).as("image applied by " + call).isIn(verified);
            }
        }
        assertThat(cluster.requests()).filteredOn(c -> c.method().equals("DELETE") && c.path().contains("/namespaces/shop/"))
                .as("deletes of what Git describes").isEmpty();
    }

    static void write(Path file, String content) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        clients.close();
        cluster.close();
        registry.close();
        repo.close();
    }
}
