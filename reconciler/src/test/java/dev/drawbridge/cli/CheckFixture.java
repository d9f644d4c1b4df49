package dev.drawbridge.cli;

import dev.drawbridge.testing.GitFixtures;
import dev.drawbridge.testing.HarborStandIn;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A small deployment repository (branch {@code env/production}, path {@code app}, policy on {@code main})
 * and a Harbor stand-in holding its one clean image, for running {@code check} end to end.
 */
final class CheckFixture implements AutoCloseable {

    static final String IMAGE = "harbor.example.com/prod/shop/api:1.4.2";

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
              name: api
              namespace: shop
            spec:
              selector:
                matchLabels: {app: api}
              template:
                metadata:
                  labels: {app: api}
                spec:
                  containers:
                    - name: api
                      image: "%s"
            """;

    static final String POLICY = """
            apiVersion: drawbridge.dev/v1alpha1
            kind: GatePolicy
            metadata: {name: production}
            spec:
              mode: enforce
              registries:
                allow: ["harbor.example.com/prod/**"]
              image:
                maxAge: 90d
              scan:
                required: true
                maxAge: 7d
                blockSeverities: [CRITICAL, HIGH]
              exceptions:
                - id: EXC-1
                  vulnerability: CVE-2026-0001
                  reason: "not reachable"
                  owner: team-shop
                  expires: 2099-01-31
            """;

    final Path dir;
    final GitFixtures repo;
    final HarborStandIn registry;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    CheckFixture(Path dir) {
        this.dir = dir;
        this.registry = HarborStandIn.start();
        registry.push("prod/shop/api", "1.4.2", Instant.now().minus(Duration.ofDays(3)), "Success", Instant.now().minusSeconds(600));
        this.repo = GitFixtures.init(dir.resolve("repo"));
        repo.write("policies/production.yaml", POLICY);
        repo.write("app/kustomization.yaml", KUSTOMIZATION);
        repo.write("app/deployment.yaml", DEPLOYMENT.formatted(IMAGE));
        repo.commitAll("initial");
        repo.branch("env/production");
    }

    /** Replaces a file on the environment branch (and keeps {@code main} for the policy). */
    void onBranch(String path, String content) {
        repo.checkout("env/production");
        repo.write(path, content);
        repo.commitAll("change " + path);
        repo.checkout("main");
    }

    void onMain(String path, String content) {
        repo.write(path, content);
        repo.commitAll("change " + path);
    }

    Path config() throws IOException {
        return config("""
                git:
                  url: %s
                registries:
                  - host: harbor.example.com
                    type: harbor
                    url: %s
                    insecure: true
                    timeout: 30s
                environments:
                  - name: production
                    branch: env/production
                    path: app
                """.formatted(repo.url(), registry.url()));
    }

    Path config(String text) throws IOException {
        Path file = dir.resolve("drawbridge.yaml");
        Files.writeString(file, text);
        return file;
    }

    int check(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "check";
        System.arraycopy(args, 0, all, 1, args.length);
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), all);
    }

    @Override
    public void close() {
        registry.close();
        repo.close();
    }
}
