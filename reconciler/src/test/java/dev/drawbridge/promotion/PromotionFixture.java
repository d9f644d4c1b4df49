package dev.drawbridge.promotion;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.drawbridge.config.ConfigLoader;
import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.decision.DecisionRecord;
import dev.drawbridge.reconcile.CommitStatuses;
import dev.drawbridge.reconcile.Engines;
import dev.drawbridge.reconcile.PullRequestChecks;
import dev.drawbridge.reconcile.Stages;
import dev.drawbridge.report.forge.GitHubPullRequests;
import dev.drawbridge.report.forge.GitLabMergeRequests;
import dev.drawbridge.report.forge.GiteaPullRequests;
import dev.drawbridge.report.forge.PullRequests;
import dev.drawbridge.retry.Sleeper;
import dev.drawbridge.testing.GitFixtures;
import dev.drawbridge.testing.HarborStandIn;
import dev.drawbridge.values.EnvironmentName;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * A deploy repository with branches {@code env/acceptance} and {@code env/production} (path {@code app}, one
 * image), its policies on {@code main}, a Harbor stand-in, a forge stand-in (WireMock at the forges' paths) and
 * acceptance's decision records; each {@link Process} is what one Drawbridge process builds.
 */
final class PromotionFixture implements AutoCloseable {

    static final String IMAGE = "harbor.example.com/prod/shop/api:1.4.2";
    static final String TOKEN = "forge-S3CR3T-token-value";
    static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

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
            """;

    static final String KUSTOMIZATION = """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources: [deployment.yaml, config.yaml]
            """;

    static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api, namespace: shop}
            spec:
              selector: {matchLabels: {app: api}}
              template:
                metadata: {labels: {app: api}}
                spec:
                  containers: [{name: api, image: "%s"}]
            """;

    final Path dir;
    final GitFixtures repo;
    final HarborStandIn registry;
    final WireMockServer forge;
    final MemoryDecisionStore store = new MemoryDecisionStore();
    final List<Duration> waits = new CopyOnWriteArrayList<>();
    final HarborStandIn.Image image;
    final String initial;
    private final AtomicInteger processes = new AtomicInteger();

    /** @param vulnerable whether the image has a fixable CRITICAL finding (production's gate blocks it) */
    PromotionFixture(Path dir, boolean vulnerable) throws Exception {
        this.dir = dir;
        registry = HarborStandIn.start();
        HarborStandIn.Vuln[] vulns = vulnerable
                ? new HarborStandIn.Vuln[] {new HarborStandIn.Vuln("CVE-2026-1234", "openssl", "3.0.13", "3.0.15", "Critical")}
                : new HarborStandIn.Vuln[0];
        image = registry.push("prod/shop/api", "1.4.2", Instant.now().minus(Duration.ofDays(3)), "Success",
                Instant.now().minusSeconds(600), vulns);
        forge = new WireMockServer(wireMockConfig().dynamicPort());
        forge.start();
        forge.stubFor(post(urlPathMatching(".*/statuses/[0-9a-f]{40}")).willReturn(aResponse().withStatus(201).withBody("{}")));
        repo = GitFixtures.init(dir.resolve("repo"));
        repo.write("policies/production.yaml", POLICY.formatted("production"));
        repo.write("policies/acceptance.yaml", POLICY.formatted("acceptance"));
        repo.write("app/kustomization.yaml", KUSTOMIZATION);
        repo.write("app/deployment.yaml", DEPLOYMENT.formatted(IMAGE));
        repo.write("app/config.yaml", config("1"));
        initial = repo.commitAll("initial");
        repo.branch("env/acceptance");
        repo.branch("env/production");
        Files.writeString(dir.resolve("token"), TOKEN);
    }

    static String config(String value) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: api, namespace: shop}\ndata: {level: \"" + value + "\"}\n";
    }

    /** A commit on {@code branch} changing {@code path}; returns its sha. */
    String commit(String branch, String path, String content) {
        repo.checkout(branch);
        repo.write(path, content);
        String sha = repo.commitAll("change " + path + " on " + branch);
        repo.checkout("main");
        return sha;
    }

    /** Acceptance applied {@code revision} with PASS (its decision record, as a reconcile writes it). */
    void acceptanceApplied(String revision) {
        store.applied("acceptance", revision, new DecisionRecord.RecordedImage(IMAGE, image.digest().toString(), "PASS"));
    }

    String head(String branch) {
        try {
            return repo.head(branch);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The configuration.
     *
     * @param forgeYaml the {@code forge:} mapping, e.g. {@code {type: github, ...}}; {@code %s} is the forge stand-in's URL
     * @param promotion {@code pull-request} or {@code auto-merge}
     */
    DrawbridgeConfig config(String forgeYaml, String promotion) throws Exception {
        return new ConfigLoader().load(configFile(forgeYaml, promotion, "", ""));
    }

    /** The configuration file; {@code acceptanceExtra} and {@code productionExtra} are added to each environment's mapping. */
    Path configFile(String forgeYaml, String promotion, String acceptanceExtra, String productionExtra) throws Exception {
        Path file = dir.resolve("drawbridge.yaml");
        Files.writeString(file, """
                git: {url: "%s"}
                registries:
                  - {host: harbor.example.com, type: harbor, url: "%s", insecure: true, timeout: 15s}
                forge: %s
                dashboard-url: https://drawbridge.example.com
                environments:
                  - {name: acceptance, branch: env/acceptance, path: app%s}
                  - {name: production, branch: env/production, path: app, promote-from: acceptance, promotion: %s%s}
                """.formatted(repo.url(), registry.url(), forgeYaml.formatted(forge.baseUrl(), dir.resolve("token")),
                acceptanceExtra, promotion, productionExtra));
        return file;
    }

    static final String GITHUB = "{type: github, api-url: \"%s\", repository: platform/deploy, token-file: \"%s\"}";
    static final String GITLAB = "{type: gitlab, api-url: \"%s/api/v4\", repository: \"42\", token-file: \"%s\"}";
    static final String GITEA = "{type: gitea, api-url: \"%s/api/v1\", repository: platform/deploy, token-file: \"%s\"}";

    Clock clock() {
        return Clock.fixed(NOW, ZoneOffset.UTC);
    }

    Sleeper sleeper() {
        return waits::add;
    }

    PullRequests github() {
        return new GitHubPullRequests(URI.create(forge.baseUrl()), "platform/deploy", () -> TOKEN, HttpClient.newHttpClient(),
                clock(), sleeper());
    }

    PullRequests gitlab() {
        return new GitLabMergeRequests(URI.create(forge.baseUrl() + "/api/v4"), "42", () -> TOKEN, HttpClient.newHttpClient(),
                clock(), sleeper());
    }

    PullRequests gitea() {
        return new GiteaPullRequests(URI.create(forge.baseUrl() + "/api/v1"), "platform/deploy", () -> TOKEN,
                HttpClient.newHttpClient(), clock(), sleeper());
    }

    /** What one Drawbridge process builds: its own work directory, statuses, checks and promoter. */
    Process process(DrawbridgeConfig config, PullRequests api) {
        return new Process(config, api, dir.resolve("process-" + processes.incrementAndGet()));
    }

    final class Process implements AutoCloseable {
        final CommitStatuses statuses;
        final PullRequestChecks checks;
        final Promoter promoter;
        final DrawbridgeConfig config;

        Process(DrawbridgeConfig config, PullRequests api, Path work) {
            this.config = config;
            Stages stages = Engines.stages(config, Clock.systemUTC());
            statuses = CommitStatuses.fromConfig(config, work);
            checks = new PullRequestChecks(config, stages, env -> store, statuses, work, (r, g) -> { });
            promoter = new Promoter(config, stages, env -> store, checks, Optional.ofNullable(api), work);
        }

        PromotionResult promote() {
            PromotionResult result = promoter.promote(Edge.into(config, EnvironmentName.of("production")).orElseThrow(), true);
            statuses.flush(Duration.ofSeconds(10));
            return result;
        }

        @Override
        public void close() {
            promoter.close();
            checks.close();
            statuses.close();
        }
    }

    /** The requests the forge stand-in got with this method whose path matches the regex. */
    List<LoggedRequest> requests(String method, String pathRegex) {
        return forge.getAllServeEvents().stream().map(e -> e.getRequest())
                .filter(r -> r.getMethod().getName().equals(method) && r.getUrl().replaceAll("\\?.*", "").matches(pathRegex))
                .toList();
    }

    @Override
    public void close() {
        repo.close();
        registry.close();
        forge.stop();
    }
}
