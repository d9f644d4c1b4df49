package dev.drawbridge.demo;

import dev.drawbridge.apply.testing.ApplyingMockServer;
import dev.drawbridge.cli.Main;
import dev.drawbridge.config.ConfigLoader;
import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.gate.Decision;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.insight.EnvironmentState;
import dev.drawbridge.insight.Insight;
import dev.drawbridge.insight.InsightEngine;
import dev.drawbridge.insight.InsightText;
import dev.drawbridge.reconcile.CheckOptions;
import dev.drawbridge.reconcile.Clusters;
import dev.drawbridge.reconcile.Engines;
import dev.drawbridge.reconcile.Checked;
import dev.drawbridge.reconcile.ReconcilePipeline;
import dev.drawbridge.reconcile.InsightFeed;
import dev.drawbridge.reconcile.Owners;
import dev.drawbridge.report.TextReport;
import dev.drawbridge.testing.GitFixtures;
import dev.drawbridge.testing.HarborStandIn;
import dev.drawbridge.testing.HarborStandIn.Vuln;
import dev.drawbridge.web.DrawbridgeServer;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code scripts/demo}: the gate over the three environments of {@code manifests-example/}, against a
 * local Git repository and a clearly labelled registry stand-in. Lives on the test classpath: nothing
 * of it is reachable from the production jar.
 */
public final class Demo {

    /** The first priority of the story: production's fixable CRITICAL in openssl (manifests-example/README.md). */
    public static final String FIRST_PRIORITY = "CVE-2026-1234";

    private final Path projectRoot;
    private final Path work;
    private final Clock clock;
    private final PrintStream out;
    private final Map<String, EnvironmentState> states = new LinkedHashMap<>();

    public Demo(Path projectRoot, Path work, Clock clock, PrintStream out) {
        this.projectRoot = projectRoot;
        this.work = work;
        this.clock = clock;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        boolean once = List.of(args).contains("--once");
        Path work = Files.createTempDirectory("drawbridge-demo-");
        Demo demo = new Demo(GitFixtures.projectRoot(), work, Clock.systemUTC(), System.out);
        try (HarborStandIn registry = HarborStandIn.start();
             ApplyingMockServer dev = ApplyingMockServer.start();
             ApplyingMockServer acceptance = ApplyingMockServer.start();
             ApplyingMockServer production = ApplyingMockServer.start()) {
            Map<String, ApplyingMockServer> clusters = Map.of("dev", dev, "acceptance", acceptance, "production", production);
            Map<String, GateReport> reports = demo.run(registry, clusters);
            int reconciled = demo.reconcile();
            int promoted = demo.promote();
            demo.printNotes();
            Insight insight = demo.printInsight();
            boolean asExpected = promoted == 1 && demo.storyHolds(reports) && reconciled == 1
                    && !dev.client().apps().deployments().inNamespace("shop").list().getItems().isEmpty()
                    && production.writes().stream().allMatch(c -> c.path().contains("/decisionrecords")
                            || c.path().endsWith("/namespaces/drawbridge-system"))
                    && FIRST_PRIORITY.equals(insight.priorities().isEmpty() ? null : insight.priorities().get(0).finding());
            if (!asExpected) {
                System.err.println("demo: the decisions are not the expected story (dev PASS, production BLOCK, "
                        + FIRST_PRIORITY + " the first priority)");
            }
            if (once) {
                System.exit(asExpected ? 0 : 1);
            }
            try (DrawbridgeServer server = startServer(work.resolve("drawbridge.yaml"))) {
                System.out.println();
                System.out.println("Dashboard (drawbridge serve, reconciling against the same stand-ins): http://127.0.0.1:"
                        + server.port() + "/");
                System.out.println("  decision page of production: http://127.0.0.1:" + server.port()
                        + "/environments/production/decisions/" + reports.get("production").revision());
                System.out.println("  priorities and teams (JSON): http://127.0.0.1:" + server.port() + "/api/priorities  "
                        + "http://127.0.0.1:" + server.port() + "/api/teams");
                System.out.println("Try the jar against the stand-ins while this runs:");
                System.out.println("  java -jar reconciler/target/drawbridge.jar check --config " + work.resolve("drawbridge.yaml")
                        + " --env production --format json");
                System.out.println("Ctrl-C stops the demo.");
                Thread.currentThread().join();
            }
        }
    }

    /** serve on 8080, where the statuses' links point (dashboard-url), or on any free port when it is taken. */
    private static DrawbridgeServer startServer(Path config) throws Exception {
        DrawbridgeConfig cfg = new ConfigLoader().load(config);
        try (java.net.ServerSocket probe = new java.net.ServerSocket(8080)) {
            probe.close();
        } catch (java.io.IOException taken) {
            return DrawbridgeServer.start(cfg, 0);
        }
        return DrawbridgeServer.start(cfg, 8080);
    }

    /** Sets up the repository, the registry and cluster stand-ins, then checks every environment. */
    public Map<String, GateReport> run(HarborStandIn registry, Map<String, ApplyingMockServer> clusters) throws Exception {
        out.println("Drawbridge demo: the gate over manifests-example/ (dev -> acceptance -> production)");
        out.println();
        try (GitFixtures repo = GitFixtures.exampleRepository(projectRoot, work.resolve("deploy"),
                java.time.LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC))) {
            out.println("  Git repository     " + repo.url() + "  (local, branches env/dev, env/acceptance, env/production; policies on main)");
            acceptanceChange(repo);
            out.println("                     env/acceptance is one commit ahead of env/production: " + ACCEPTANCE_CHANGE);
        }
        out.println("  registry           " + registry.url() + "  ** STAND-IN ** for harbor.example.com and docker.io");
        out.println("                     (WireMock answering Harbor's API v2.0 and the OCI distribution API; not a real registry)");
        for (String env : GitFixtures.ENVIRONMENTS) {
            out.printf("  cluster %-10s %s  ** STAND-IN ** (Fabric8 mock API server, in this process; not a real cluster)%n",
                    env, clusters.get(env).url());
            clusters.get(env).writeKubeconfig(work.resolve("kubeconfig-" + env));
        }
        pushImages(registry);
        Path config = writeConfig(registry);
        out.println("  configuration      " + config);
        out.println();

        DrawbridgeConfig cfg = new ConfigLoader().load(config);
        Map<String, GateReport> reports = new LinkedHashMap<>();
        Map<String, Integer> orders = InsightFeed.orders(cfg);
        try (Clusters records = new Clusters()) {
            ReconcilePipeline checks = ReconcilePipeline.checks(Engines.stages(cfg, clock), work.resolve("engine"), records, null);
            for (EnvironmentConfig env : cfg.environments()) {
                Checked outcome = checks.check(cfg, env, CheckOptions.DEFAULT);
                GateReport report = outcome.report();
                states.put(env.name().value(), new EnvironmentState(env.name().value(), orders.get(env.name().value()), report, outcome.policy(),
                        Owners.of(outcome.objects()).byObject(), null));
                reports.put(env.name().value(), report);
                out.println("== " + env.name() + " (" + env.branch() + ", " + env.path() + ")");
                out.print(TextReport.render(report));
                out.println();
            }
        }
        out.println("Decisions:");
        reports.forEach((env, r) -> out.printf("  %-11s %s%n", env, r.result().decision()));
        return reports;
    }

    /**
     * Reconciles every environment once with {@code drawbridge reconcile --once}, as a user would: dev and
     * acceptance are applied to their clusters, production is blocked and its cluster untouched.
     *
     * @return the command's exit code (1: at least one environment blocked)
     */
    public int reconcile() {
        out.println();
        out.println("== drawbridge reconcile --config " + work.resolve("drawbridge.yaml") + " --once");
        java.io.PrintWriter writer = new java.io.PrintWriter(out, true);
        int exit = Main.run(writer, writer, "reconcile", "--config", work.resolve("drawbridge.yaml").toString(), "--once");
        out.println("exit code " + exit + " (1: at least one environment was blocked by the gate)");
        return exit;
    }

    /** The commit statuses the reconcile left as git notes, as {@code git log --notes=drawbridge} shows them. */
    public void printNotes() throws Exception {
        out.println();
        out.println("== git log --notes=drawbridge (the commit statuses, as notes on the environment heads)");
        java.util.Set<String> heads = new java.util.LinkedHashSet<>();
        try (GitFixtures repo = GitFixtures.open(work.resolve("deploy"))) {
            GitFixtures.ENVIRONMENTS.forEach(env -> heads.add(repo.head("env/" + env)));
        }
        for (String head : heads) {
            Process git = new ProcessBuilder("git", "-C", work.resolve("deploy").toString(), "--no-pager", "log", "-1",
                    "--notes=drawbridge", "--format=%h %d %s%n%N", head).redirectErrorStream(true).start();
            out.print(new String(git.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            git.waitFor();
        }
    }

    /**
     * The priorities and the team table (docs/priorities.md) from the decisions above, with each environment's
     * decision history read from its cluster stand-in.
     */
    public Insight printInsight() throws Exception {
        DrawbridgeConfig cfg = new ConfigLoader().load(work.resolve("drawbridge.yaml"));
        List<EnvironmentState> withHistory = new java.util.ArrayList<>();
        try (Clusters records = new Clusters()) {
            for (EnvironmentConfig env : cfg.environments()) {
                withHistory.add(states.get(env.name().value()).withHistory(records.of(env).history(env.name())));
            }
        }
        Insight insight = new InsightEngine(clock).compute(withHistory);
        out.println();
        out.println("== drawbridge report --config " + work.resolve("drawbridge.yaml") + "  (the top priorities and the teams)");
        out.print(InsightText.render(insight, 5));
        return insight;
    }

    /** What acceptance has verified and production has not: one configuration change, waiting to be promoted. */
    static final String ACCEPTANCE_CHANGE = "shop-config CART_TTL 30m -> 45m";

    private static void acceptanceChange(GitFixtures repo) {
        Path file = repo.dir().resolve("manifests-example/base/shop/configmap.yaml");
        try {
            repo.checkout("env/acceptance");
            repo.write("manifests-example/base/shop/configmap.yaml", Files.readString(file).replace("CART_TTL: 30m", "CART_TTL: 45m"));
            repo.commitAll("shop: a longer cart TTL (" + ACCEPTANCE_CHANGE + ")");
            repo.checkout("main");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code drawbridge promote --env production} once, as a user would: what acceptance applied is merged
     * into production only if production's gate passes on the merged tree. In the demo it does not: the command
     * prints the promotion (its table of images, what changes in production, the reasons) and pushes nothing.
     *
     * @return the command's exit code (1: production's gate blocks the promotion)
     */
    public int promote() {
        out.println();
        out.println("== drawbridge promote --config " + work.resolve("drawbridge-promotion.yaml") + " --env production"
                + "   (the promotion acceptance -> production; the demo's forge is git-notes, so promote merges locally)");
        java.io.PrintWriter writer = new java.io.PrintWriter(out, true);
        java.io.StringWriter errors = new java.io.StringWriter(); // the reasons are in the printed promotion already
        int exit = Main.run(writer, new java.io.PrintWriter(errors, true), "promote", "--config",
                work.resolve("drawbridge-promotion.yaml").toString(), "--env", "production");
        if (exit == Main.ERROR) {
            out.print(errors);
        }
        out.println("exit code " + exit + " (1: production's gate blocks what promote would merge; nothing was pushed)");
        return exit;
    }

    public boolean storyHolds(Map<String, GateReport> reports) {
        return reports.get("dev").result().decision() == Decision.PASS
                && reports.get("acceptance").result().decision() == Decision.PASS
                && reports.get("production").result().decision() == Decision.BLOCK;
    }

    /** The scan results that tell the story of manifests-example/README.md. */
    private void pushImages(HarborStandIn registry) {
        Instant now = clock.instant();
        Instant recent = now.minus(Duration.ofDays(12));
        Instant scanned = now.minus(Duration.ofHours(6));
        Vuln openssl = new Vuln("CVE-2026-1234", "openssl", "3.0.13", "3.0.15", "Critical");
        Vuln template = new Vuln("CVE-2026-5678", "jinja2", "3.1.2", "3.1.4", "High");
        Vuln ledgerOld = new Vuln("CVE-2025-0001", "libxml2", "2.9.14", "2.9.14+deb12u1", "High");
        Vuln minor = new Vuln("CVE-2025-31115", "xz-utils", "5.4.1", "", "Low");

        // dev: warn mode, the same findings are reported but do not block
        registry.push("dev/shop/api", "1.4.2", recent, "Success", scanned, openssl, minor);
        registry.push("dev/shop/web", "2.0.1", recent, "Success", scanned, template);
        registry.push("dev/shop/worker", "1.4.2", recent, "Success", scanned);
        registry.push("dev/payments/ledger", "3.2.0", recent, "Success", scanned);
        registry.push("dev/payments/ledger-migrate", "3.2.0", recent, "Success", scanned);
        registry.push("library/redis", "7.2", recent, "Success", scanned, minor);

        // acceptance: scanned clean
        for (String repo : List.of("acceptance/shop/api:1.4.2", "acceptance/shop/web:2.0.1", "acceptance/shop/worker:1.4.2",
                "acceptance/payments/ledger:3.2.0", "acceptance/payments/ledger-migrate:3.2.0")) {
            String[] parts = repo.split(":");
            registry.push(parts[0], parts[1], recent, "Success", now.minus(Duration.ofDays(2)), minor);
        }

        // production: a fixable CRITICAL, an accepted HIGH, an old image with an expired exception
        registry.push("prod/shop/api", "1.4.2", recent, "Success", scanned, openssl, minor);
        registry.push("prod/shop/web", "2.0.1", recent, "Success", scanned, template);
        registry.push("prod/shop/worker", "1.4.2", recent, "Success", scanned);
        registry.push("prod/payments/ledger", "3.2.0", now.minus(Duration.ofDays(134)), "Success", scanned, ledgerOld);
        registry.push("prod/payments/ledger-migrate", "3.2.0", recent, "Success", scanned);
    }

    private Path writeConfig(HarborStandIn registry) throws Exception {
        Path file = work.resolve("drawbridge.yaml");
        Files.writeString(file, """
                # Written by scripts/demo. The registries point at the demo's STAND-IN, not at real registries.
                git:
                  url: %s
                forge:
                  type: git-notes       # statuses as notes on refs/notes/drawbridge of the demo repository
                dashboard-url: http://127.0.0.1:8080
                policies:
                  branch: main
                  path: policies
                registries:
                  - host: harbor.example.com
                    type: harbor
                    url: %s
                    insecure: true      # the stand-in speaks plain http on loopback
                  - host: docker.io
                    type: harbor        # Docker Hub images come through the stand-in too (like a Harbor proxy cache)
                    url: %s
                    insecure: true
                environments:               # one cluster per environment, each a STAND-IN API server
                  - name: dev
                    branch: env/dev
                    path: manifests-example/overlays/dev
                    cluster: {kubeconfig: kubeconfig-dev, context: mock}
                  - name: acceptance
                    branch: env/acceptance
                    path: manifests-example/overlays/acceptance
                    cluster: {kubeconfig: kubeconfig-acceptance, context: mock}
                  - name: production
                    branch: env/production
                    path: manifests-example/overlays/production
                    cluster: {kubeconfig: kubeconfig-production, context: mock}
                """.formatted(work.resolve("deploy").toUri(), registry.url(), registry.url()));
        // The promotion step's configuration: production promotes from acceptance. The demo's environments take
        // their images from one Harbor project each (dev/, acceptance/, prod/), so the digests production runs were
        // never applied by acceptance; with this configuration production's gate also says so (promotion.evidence).
        Files.writeString(work.resolve("drawbridge-promotion.yaml"), Files.readString(file)
                .replace("# Written by scripts/demo.", "# Written by scripts/demo for its promotion step.")
                + """
                    promote-from: acceptance    # every digest must have been applied by acceptance first
                    promotion: pull-request     # docs/promotion.md; with git-notes, `drawbridge promote` merges locally
                """);
        return file;
    }
}
