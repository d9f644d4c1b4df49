package dev.drawbridge.web;

import dev.drawbridge.apply.testing.ApplyingMockServer;
import dev.drawbridge.config.ConfigLoader;
import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.testing.GitFixtures;
import dev.drawbridge.testing.HarborStandIn;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Everything {@code serve} needs, for real: a Git repository with the branches {@code env/production}
 * (an image whose HIGH finding an exception accepts; the exception's owner is a hostile string) and
 * {@code env/acceptance} (an image with a fixable CRITICAL finding: blocked), a Harbor stand-in, a mock
 * Kubernetes API server reached through a kubeconfig, and the server itself on a free port.
 */
final class ServeFixture implements AutoCloseable {

    static final String HOSTILE = "<script>alert(\"owned\")</script>";

    static final String KUSTOMIZATION = """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources:
              - deployment.yaml
            """;

    static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: %s
              namespace: shop
            spec:
              replicas: %d
              selector:
                matchLabels: {app: %1$s}
              template:
                metadata:
                  labels: {app: %1$s}
                spec:
                  containers:
                    - name: app
                      image: "%s"
            """;

    static final String POLICY = """
            apiVersion: drawbridge.dev/v1alpha1
            kind: GatePolicy
            metadata: {name: %s}
            spec:
              mode: enforce
              registries:
                allow: ["harbor.example.com/prod/**"]
              scan:
                required: true
                maxAge: 7d
                blockSeverities: [CRITICAL, HIGH]
              exceptions:
                - id: EXC-1
                  vulnerability: CVE-2026-0001
                  reason: "not reachable from the network"
                  owner: '%s'
                  expires: 2099-01-31
            """;

    final Path dir;
    final GitFixtures repo;
    final HarborStandIn registry;
    final ApplyingMockServer cluster;
    /** Generous timeouts: a loaded machine slows the server down, and no test of it is about its timeouts. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    DrawbridgeServer server;
    /** Appended to the configuration file (e.g. a {@code forge:} block). */
    String extraConfig = "";

    ServeFixture(Path dir) {
        this.dir = dir;
        this.registry = HarborStandIn.start();
        Instant now = Instant.now();
        registry.push("prod/shop/api", "1.4.2", now.minus(Duration.ofDays(3)), "Success", now.minusSeconds(600),
                new HarborStandIn.Vuln("CVE-2026-0001", "zlib", "1.3", "1.3.1", "High"));
        registry.push("prod/shop/api", "1.5.0", now.minus(Duration.ofDays(1)), "Success", now.minusSeconds(300));
        registry.push("prod/shop/worker", "2.0.0", now.minus(Duration.ofDays(3)), "Success", now.minusSeconds(600),
                new HarborStandIn.Vuln("CVE-2026-1234", "openssl", "3.0.13", "3.0.15", "Critical"));
        this.cluster = ApplyingMockServer.start();
        this.repo = GitFixtures.init(dir.resolve("repo"));
        for (String env : List.of("production", "acceptance")) {
            repo.write("policies/" + env + ".yaml", POLICY.formatted(env, HOSTILE.replace("'", "''")));
        }
        repo.write("production/kustomization.yaml", KUSTOMIZATION);
        repo.write("production/deployment.yaml", deployment("api", 1, "harbor.example.com/prod/shop/api:1.4.2"));
        repo.write("acceptance/kustomization.yaml", KUSTOMIZATION);
        repo.write("acceptance/deployment.yaml", deployment("worker", 1, "harbor.example.com/prod/shop/worker:2.0.0"));
        repo.commitAll("initial");
        repo.branch("env/production");
        repo.branch("env/acceptance");
    }

    static String deployment(String name, int replicas, String image) {
        return DEPLOYMENT.formatted(name, replicas, image);
    }

    /** Commits a file on an environment branch and returns the new sha ({@code main} keeps the policies). */
    String commitOn(String branch, String path, String content) {
        repo.checkout(branch);
        repo.write(path, content);
        String sha = repo.commitAll("change " + path);
        repo.checkout("main");
        return sha;
    }

    /** A kubeconfig whose context {@code mock} reaches the mock cluster. */
    Path kubeconfig() {
        return cluster.writeKubeconfig(dir.resolve("kubeconfig"));
    }

    DrawbridgeConfig config() throws Exception {
        Path kubeconfig = kubeconfig();
        Path file = dir.resolve("drawbridge.yaml");
        Files.writeString(file, """
                git:
                  url: %s
                  poll-interval: 1h
                registries:
                  - host: harbor.example.com
                    type: harbor
                    url: %s
                    insecure: true
                    timeout: 30s
                environments:
                  - name: production
                    branch: env/production
                    path: production
                    cluster: {kubeconfig: %s, context: mock}
                  - name: acceptance
                    branch: env/acceptance
                    path: acceptance
                    cluster: {kubeconfig: %3$s, context: mock}
                """.formatted(repo.url(), registry.url(), kubeconfig) + extraConfig);
        return new ConfigLoader().load(file);
    }

    DrawbridgeServer start() throws Exception {
        server = DrawbridgeServer.start(config(), 0);
        return server;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        cluster.close();
        registry.close();
        repo.close();
    }
}
