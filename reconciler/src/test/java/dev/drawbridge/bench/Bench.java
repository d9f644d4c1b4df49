package dev.drawbridge.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.gate.Decision;
import dev.drawbridge.gate.Gate;
import dev.drawbridge.gate.GateResult;
import dev.drawbridge.image.ImageInspector;
import dev.drawbridge.image.InspectResult;
import dev.drawbridge.policy.GatePolicy;
import dev.drawbridge.policy.PolicyLoader;
import dev.drawbridge.registry.LookupOptions;
import dev.drawbridge.registry.RegistryLookup;
import dev.drawbridge.registry.RegistrySettings;
import dev.drawbridge.render.KustomizeRenderer;
import dev.drawbridge.source.Checkout;
import dev.drawbridge.apply.testing.ApplyingMockServer;
import dev.drawbridge.config.ConfigLoader;
import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.reconcile.Clusters;
import dev.drawbridge.reconcile.Engines;
import dev.drawbridge.reconcile.ReconcileOutcome;
import dev.drawbridge.reconcile.ReconcilePipeline;
import dev.drawbridge.testing.GitFixtures;
import dev.drawbridge.testing.HarborStandIn;
import dev.drawbridge.testing.RealWorld;
import dev.drawbridge.values.EnvironmentName;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code scripts/bench}: measures the figures the issues name, in one run, and prints each as
 * {@code name: value} (ratios as plain numbers). Test classpath only; stand-ins are labelled.
 */
public final class Bench {

    static final int IMAGES = 200;
    static final int LATENCY_MS = 20;
    static final int CONCURRENCY = 8;
    static final int RUNS = 5;

    private final Path work;
    private final Path projectRoot;

    Bench(Path work, Path projectRoot) {
        this.work = work;
        this.projectRoot = projectRoot;
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("drawbridge-bench-");
        Bench bench = new Bench(work, GitFixtures.projectRoot());
        List<String> parts = args.length == 0 ? List.of("gate", "check", "reconcile", "serve") : List.of(args);
        if (parts.contains("gate")) {
            bench.gate();
        }
        if (parts.contains("check")) {
            bench.checkPodinfo();
        }
        if (parts.contains("reconcile")) {
            if (Boolean.getBoolean(IN_SERVE_JVM)) {
                bench.reconcile();
            } else {
                bench.inServeJvm("reconcile");
            }
        }
        if (parts.contains("serve")) {
            bench.serveMemory();
        }
        if (parts.contains("scale")) {
            new ScaleBench(work.resolve("scale"), bench.projectRoot).scale();
        }
        if (parts.contains("soak")) {
            new SoakBench(work.resolve("soak"), bench.projectRoot).soak();
        }
        System.exit(0);
    }

    /** Set in a benchmark JVM started with serve's options ({@link #inServeJvm}). */
    static final String IN_SERVE_JVM = "drawbridge.bench.in-serve-jvm";

    /**
     * Runs one section in a JVM of its own with the JVM options and environment serve runs with
     * ({@code deploy/deployment.yaml}: C1 only, the serial collector, a 160 MB heap), so that its figures (the
     * CPU of a reconcile with nothing changed above all) are serve's, not those of this JVM's defaults. The
     * section's {@code drawbridge.bench.*} settings are passed on.
     */
    void inServeJvm(String section) throws Exception {
        Map<String, String> serveEnv = serveEnvironment(projectRoot);
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(List.of(serveEnv.get("JAVA_TOOL_OPTIONS").trim().split("\\s+")));
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith("drawbridge.bench.")
                || name.startsWith("org.slf4j.")).sorted().forEach(name -> command.add("-D" + name + "=" + System.getProperty(name)));
        command.addAll(List.of("-D" + IN_SERVE_JVM + "=true", "-cp", System.getProperty("java.class.path"),
                Bench.class.getName(), section));
        System.out.println(section + ".jvm-options: " + serveEnv.get("JAVA_TOOL_OPTIONS"));
        System.out.flush();
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().remove("JAVA_TOOL_OPTIONS"); // on the command line instead: the stand-ins it starts keep their own
        serveEnv.forEach((name, value) -> {
            if (!name.equals("JAVA_TOOL_OPTIONS") && !value.isEmpty()) {
                builder.environment().put(name, value);
            }
        });
        int exit = builder.start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException("the " + section + " benchmark failed (exit " + exit + ")");
        }
    }

    static void print(String name, double value) {
        System.out.println(name + ": " + String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.3f", value));
    }

    /** 200 unique images behind a stand-in with 20 ms latency: cold and warm gate time, lookups per digest. */
    void gate() throws Exception {
        Path root = work.resolve("gate");
        Path overlay = root.resolve("overlay");
        Files.createDirectories(overlay);
        StringBuilder kustomization = new StringBuilder("resources:\n");
        for (int i = 0; i < IMAGES; i++) {
            Files.writeString(overlay.resolve("app-" + i + ".yaml"), """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: app-%d, namespace: bench}
                    spec:
                      selector: {matchLabels: {app: app-%d}}
                      template:
                        metadata: {labels: {app: app-%d}}
                        spec:
                          containers:
                            - name: app
                              image: harbor.example.com/bench/app-%d:1.0.%d
                    """.formatted(i, i, i, i, i));
            kustomization.append("  - app-").append(i).append(".yaml\n");
        }
        Files.writeString(overlay.resolve("kustomization.yaml"), kustomization);
        GatePolicy policy = new PolicyLoader().load("bench.yaml", """
                apiVersion: drawbridge.dev/v1alpha1
                kind: GatePolicy
                metadata: {name: bench}
                spec:
                  registries: {allow: ["harbor.example.com/bench/**"]}
                  image: {maxAge: 90d}
                  scan: {required: true, maxAge: 7d, blockSeverities: [CRITICAL, HIGH]}
                """.getBytes(StandardCharsets.UTF_8));

        try (HarborStandIn registry = HarborStandIn.withLatency(LATENCY_MS, CONCURRENCY * 4)) {
            Instant now = Instant.now();
            for (int i = 0; i < IMAGES; i++) {
                registry.push("bench/app-" + i, "1.0." + i, now.minus(Duration.ofDays(5)), "Success", now.minusSeconds(3600));
            }
            KustomizeRenderer renderer = new KustomizeRenderer();
            Checkout checkout = new Checkout(null, root);
            double[] renders = new double[RUNS];
            List<ObjectNode> objects = null;
            for (int r = 0; r < RUNS; r++) {
                long t0 = System.nanoTime();
                objects = renderer.render(checkout, "overlay");
                renders[r] = seconds(t0);
            }
            InspectResult inspected = new ImageInspector().inspect(objects);
            RegistrySettings settings = new RegistrySettings("harbor.example.com", RegistrySettings.Type.HARBOR,
                    URI.create(registry.url()), null, null, true, CONCURRENCY, Duration.ofSeconds(10));

            // warm the JVM's HTTP and JSON paths on a different lookup, so "cold" means an empty cache, not a cold JIT
            try (RegistryLookup warmup = new RegistryLookup(List.of(settings), Clock.systemUTC(), Duration.ofMinutes(5))) {
                new Gate(warmup, Clock.systemUTC()).evaluate(inspected.images(), objects, policy, LookupOptions.ALL_PLATFORMS, List.of());
            }
            try (RegistryLookup lookup = new RegistryLookup(List.of(settings), Clock.systemUTC(), Duration.ofMinutes(5))) {
                Gate gate = new Gate(lookup, Clock.systemUTC());
                long t0 = System.nanoTime();
                GateResult cold = gate.evaluate(inspected.images(), objects, policy, LookupOptions.ALL_PLATFORMS, List.of());
                double coldSeconds = seconds(t0);
                if (cold.decision() != Decision.PASS) {
                    throw new IllegalStateException("bench gate did not pass: " + cold.errors() + " " + cold.images().get(0));
                }
                long coldLookups = lookup.stats().lookups();
                long coldRequests = lookup.stats().httpRequests();
                double[] warm = new double[RUNS];
                for (int r = 0; r < RUNS; r++) {
                    long w0 = System.nanoTime();
                    gate.evaluate(inspected.images(), objects, policy, LookupOptions.ALL_PLATFORMS, List.of());
                    warm[r] = seconds(w0);
                }
                double floor = Math.ceil((double) IMAGES / CONCURRENCY) * LATENCY_MS / 1000.0;
                double requestsPerImage = (double) coldRequests / IMAGES;
                double requestFloor = Math.ceil((double) coldRequests / CONCURRENCY) * LATENCY_MS / 1000.0;
                print("gate.images", IMAGES);
                print("gate.concurrency", CONCURRENCY);
                print("gate.cold.seconds", coldSeconds);
                print("gate.cold.floor.seconds", floor);
                print("gate.cold.ratio-to-floor", coldSeconds / floor);
                print("gate.cold.requests-per-image", requestsPerImage);
                print("gate.cold.ratio-to-request-floor", coldSeconds / requestFloor);
                print("gate.lookups-per-digest", (double) coldLookups / IMAGES);
                print("gate.warm.seconds", median(warm));
                print("gate.warm.new-lookups", lookup.stats().lookups() - coldLookups);
                print("render.seconds", median(renders));
                print("gate.warm.ratio-to-render", median(warm) / median(renders));
            }
        }
    }

    /** {@code java -jar drawbridge.jar check} over podinfo's production overlay, JVM start included. */
    void checkPodinfo() throws Exception {
        Path jar = projectRoot.resolve("reconciler/target/drawbridge.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run mvn package first");
        }
        Path repoDir = work.resolve("podinfo-repo");
        try (GitFixtures repo = GitFixtures.init(repoDir); HarborStandIn registry = HarborStandIn.start()) {
            repo.copyIn(RealWorld.dir().resolve("podinfo"), "podinfo");
            repo.write("policies/production.yaml", """
                    apiVersion: drawbridge.dev/v1alpha1
                    kind: GatePolicy
                    metadata: {name: production}
                    spec:
                      registries: {allow: ["ghcr.io/stefanprodan/**", "docker.io/library/**"]}
                      image: {maxAge: 90d}
                      scan: {required: true, maxAge: 7d, blockSeverities: [CRITICAL, HIGH]}
                    """);
            repo.commitAll("podinfo");
            repo.branch("env/production");
            Instant now = Instant.now();
            registry.push("stefanprodan/podinfo", "6.14.1", now.minus(Duration.ofDays(10)), "Success", now.minusSeconds(600));
            registry.push("library/redis", "8.8.0", now.minus(Duration.ofDays(10)), "Success", now.minusSeconds(600));
            Path config = work.resolve("podinfo.yaml");
            Files.writeString(config, """
                    git: {url: %s}
                    registries:
                      - {host: ghcr.io, type: harbor, url: %s, insecure: true}
                      - {host: docker.io, type: harbor, url: %s, insecure: true}
                    environments:
                      - {name: production, branch: env/production, path: podinfo/deploy/overlays/production}
                    """.formatted(repo.url(), registry.url(), registry.url()));
            String overlay = repoDir.resolve("podinfo/deploy/overlays/production").toString();
            run(List.of("kubectl", "kustomize", overlay)); // warm the page cache
            double[] kustomize = new double[RUNS];
            double[] check = new double[RUNS];
            for (int r = 0; r < RUNS; r++) {
                long t0 = System.nanoTime();
                run(List.of("kubectl", "kustomize", overlay));
                kustomize[r] = seconds(t0);
                long t1 = System.nanoTime();
                int exit = run(List.of("java", "-jar", jar.toString(), "check", "--config", config.toString(), "--env", "production"));
                check[r] = seconds(t1);
                if (exit != 0) {
                    throw new IllegalStateException("check of podinfo exited " + exit);
                }
            }
            print("check.podinfo.seconds", median(check));
            print("kustomize.podinfo.seconds", median(kustomize));
            print("check.podinfo.ratio-to-kustomize", median(check) / median(kustomize));
        }
    }

    static final int RESOURCES = 500;
    static final int WORKLOADS = 100;

    /**
     * A 500-resource overlay (100 Deployments with their own images, 400 ConfigMaps) reconciled into the
     * mock API server, which runs in a process of its own ({@link ApiServerStandIn}) as a real one would: one changed
     * object (time and write requests), and a reconcile with nothing changed.
     */
    void reconcile() throws Exception {
        Path repoDir = work.resolve("reconcile-repo");
        try (GitFixtures repo = GitFixtures.init(repoDir); HarborStandIn registry = HarborStandIn.start();
             ApiServerStandIn.Running cluster = ApiServerStandIn.launch(work.resolve("reconcile-kubeconfig"),
                     work.resolve("reconcile-api-server.log"), true)) {
            writeResources(repo, registry, "app", "bench");
            repo.write("policies/bench.yaml", """
                    apiVersion: drawbridge.dev/v1alpha1
                    kind: GatePolicy
                    metadata: {name: bench}
                    spec:
                      registries: {allow: ["harbor.example.com/bench/**"]}
                      scan: {required: true, maxAge: 7d}
                    """);
            repo.commitAll("500 resources");
            repo.branch("env/bench");
            Path kubeconfig = cluster.kubeconfig();
            Path configFile = work.resolve("reconcile.yaml");
            Files.writeString(configFile, """
                    git: {url: %s}
                    registries: [{host: harbor.example.com, type: harbor, url: %s, insecure: true}]
                    environments:
                      - {name: bench, branch: env/bench, path: app, cluster: {kubeconfig: %s, context: mock}}
                    """.formatted(repo.url(), registry.url(), kubeconfig));
            DrawbridgeConfig config = new ConfigLoader().load(configFile);
            EnvironmentConfig env = config.environment(EnvironmentName.of("bench")).orElseThrow();
            // -Ddrawbridge.bench.watch=false: live state listed at every apply, as before watches (for comparison)
            boolean watch = Boolean.parseBoolean(System.getProperty("drawbridge.bench.watch", "true"));
            try (Clusters clusters = new Clusters(dev.drawbridge.apply.KubernetesApplier.Settings.defaults().withWatch(watch))) {
                ReconcilePipeline pipeline = new ReconcilePipeline(Engines.stages(config, Clock.systemUTC()), clusters, clusters,
                        work.resolve("reconcile-work"));
                expectApplied(pipeline.reconcile(config, env));        // first apply: creates everything
                String overlay = repoDir.resolve("app").toString();

                // The first change after the first apply, in a JIT-cold engine (as `reconcile --once` is).
                commitOneChange(repo, 0);
                long c0 = System.nanoTime();
                expectApplied(pipeline.reconcile(config, env));
                double coldChange = seconds(c0);

                // Then, as in `serve`: a warm engine. Each round makes one change and times its reconcile,
                // a reconcile with nothing changed, and `kubectl kustomize` of the same overlay, interleaved
                // so that the machine's drift hits all three alike. The first rounds only warm up.
                int warmup = Integer.getInteger("drawbridge.bench.warmup", 3);
                double[] changed = new double[RECONCILE_ROUNDS];
                double[] noop = new double[RECONCILE_ROUNDS];
                double[] kustomize = new double[RECONCILE_ROUNDS];
                int changedWrites = -1;
                long changedObjectWrites = -1;
                int noopWrites = 0;
                for (int round = -warmup; round < RECONCILE_ROUNDS; round++) {
                    commitOneChange(repo, round + warmup + 1);
                    cluster.clearRequests();
                    long t0 = System.nanoTime();
                    expectApplied(pipeline.reconcile(config, env));
                    double change = seconds(t0);
                    int writes = cluster.writes().size();
                    long objectWrites = cluster.writes().stream().filter(c -> !c.contains("/decisionrecords")).count();

                    cluster.clearRequests();
                    long t1 = System.nanoTime();
                    expectApplied(pipeline.reconcile(config, env));
                    double same = seconds(t1);

                    long k0 = System.nanoTime();
                    run(List.of("kubectl", "kustomize", overlay));
                    double build = seconds(k0);
                    if (round >= 0) {
                        changed[round] = change;
                        noop[round] = same;
                        kustomize[round] = build;
                        changedWrites = Math.max(changedWrites, writes);
                        changedObjectWrites = Math.max(changedObjectWrites, objectWrites);
                        noopWrites = Math.max(noopWrites, cluster.writes().size());
                    }
                }
                // CPU time of this whole process (engine, informers, HTTP client, JIT and GC; not the API server's) per
                // reconcile with nothing changed, over NOOP_CPU_ROUNDS of them in a row.
                com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
                for (int i = 0; i < NOOP_WARMUP_ROUNDS; i++) {     // as serve is after a while: compiled, settled
                    expectApplied(pipeline.reconcile(config, env));
                }
                Map<String, Long> threads0 = threadCpu();
                Map<String, Long> tasks0 = taskCpu();
                long cpu0 = os.getProcessCpuTime();
                for (int i = 0; i < NOOP_CPU_ROUNDS; i++) {
                    expectApplied(pipeline.reconcile(config, env));
                }
                double noopCpuMs = (os.getProcessCpuTime() - cpu0) / 1e6 / NOOP_CPU_ROUNDS;
                double engineCpuMs = engineCpu(threads0) / 1e6 / NOOP_CPU_ROUNDS;
                printThreadCpu(threads0, NOOP_CPU_ROUNDS);
                printTaskCpu(tasks0, NOOP_CPU_ROUNDS);
                cluster.clearRequests();
                expectApplied(pipeline.reconcile(config, env));
                int noopRequests = cluster.requests().size();
                print("reconcile.resources", RESOURCES);
                print("reconcile.one-change.seconds", median(changed));
                print("reconcile.one-change.writes", changedWrites);
                print("reconcile.one-change.object-writes", changedObjectWrites);
                print("kustomize.500.seconds", median(kustomize));
                print("reconcile.one-change.ratio-to-kustomize", median(changed) / median(kustomize));
                print("reconcile.one-change.cold.seconds", coldChange);
                print("reconcile.one-change.cold.ratio-to-kustomize", coldChange / median(kustomize));
                print("reconcile.noop.seconds", median(noop));
                print("reconcile.noop.writes", noopWrites);
                print("reconcile.noop.cpu-ms", noopCpuMs);
                print("reconcile.noop.engine-cpu-ms", engineCpuMs);
                print("reconcile.noop.requests", noopRequests);
            }
        }
    }

    /** CPU time (ns) of each live Java thread by name, digits dropped (a pool's threads together). */
    private static Map<String, Long> threadCpu() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, Long> cpu = new java.util.TreeMap<>();
        for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null) {
                long time = threads.getThreadCpuTime(info.getThreadId());
                cpu.merge(info.getThreadName().replaceAll("[0-9]+", "#"), Math.max(time, 0), Long::sum);
            }
        }
        return cpu;
    }

    /**
     * CPU time (ns) since {@code before} of the threads that run reconciles (the caller's, registry lookups, reads
     * ahead): without the HTTP clients' event loops and the JVM's own threads (JIT, GC).
     */
    private static long engineCpu(Map<String, Long> before) {
        long sum = 0;
        for (Map.Entry<String, Long> thread : threadCpu().entrySet()) {
            String name = thread.getKey();
            if (!name.startsWith("vert.x-") && !name.startsWith("JFR ")) {
                sum += Math.max(0, thread.getValue() - before.getOrDefault(name, 0L));
            }
        }
        return sum;
    }

    /** On stderr (not a figure): the Java threads' CPU per round since {@code before}; the rest is the JVM's own. */
    private static void printThreadCpu(Map<String, Long> before, int rounds) {
        threadCpu().forEach((name, ns) -> {
            double ms = (ns - before.getOrDefault(name, 0L)) / 1e6 / rounds;
            if (ms >= 0.05) {
                System.err.println(String.format(Locale.ROOT, "  thread cpu-ms per no-op reconcile: %-40s %.2f", name, ms));
            }
        });
    }

    /** CPU time (clock ticks) of each of this process's native threads by name ({@code /proc/self/task/N/comm}), digits dropped. */
    private static Map<String, Long> taskCpu() throws java.io.IOException {
        Map<String, Long> cpu = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim().replaceAll("[0-9]+", "#");
                    String stat = Files.readString(task.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    cpu.merge(name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
                } catch (java.io.IOException | RuntimeException ended) {
                    // the thread ended meanwhile
                }
            }
        }
        return cpu;
    }

    /** On stderr (not a figure): each native thread's CPU per round since {@code before}, the JVM's own (JIT, GC) among them. */
    private static void printTaskCpu(Map<String, Long> before, int rounds) throws java.io.IOException {
        taskCpu().forEach((name, ticks) -> {
            double ms = (ticks - before.getOrDefault(name, 0L)) * 10.0 / rounds;
            if (ms >= 0.05) {
                System.err.println(String.format(Locale.ROOT, "  task cpu-ms per no-op reconcile: %-20s %.2f", name, ms));
            }
        });
    }

    /** No-op reconciles in a row whose process CPU time is averaged ({@code reconcile.noop.cpu-ms}). */
    static final int NOOP_CPU_ROUNDS = 100;

    /** No-op reconciles before those, not measured: the JIT compiles what a serve that runs for hours has compiled. */
    static final int NOOP_WARMUP_ROUNDS = Integer.getInteger("drawbridge.bench.noop-warmup", 100);

    /**
     * Measured rounds of the reconcile benchmark (after three warm-up rounds): 15, as a one-change reconcile and a
     * Kustomize build each vary by ±10 % from round to round on these machines, and the median of 9 moved by ±4 %.
     */
    static final int RECONCILE_ROUNDS = Integer.getInteger("drawbridge.bench.rounds", 15);

    /** Commits a new value of one ConfigMap on the environment's branch. */
    private static void commitOneChange(GitFixtures repo, int version) {
        repo.checkout("env/bench");
        repo.write("app/config-7.yaml", configMap(7, "v" + version));
        repo.commitAll("one change (" + version + ")");
        repo.checkout("main");
    }

    static final int SERVE_ENVIRONMENTS = 20;
    static final int NOOP_ROUNDS = 8;

    /**
     * The environment of the drawbridge container in {@code deploy/deployment.yaml} (JAVA_TOOL_OPTIONS,
     * MALLOC_ARENA_MAX): serve runs here as it runs there.
     */
    static Map<String, String> serveEnvironment(Path projectRoot) throws java.io.IOException {
        com.fasterxml.jackson.databind.JsonNode deployment = new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(projectRoot.resolve("deploy/deployment.yaml").toFile());
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (com.fasterxml.jackson.databind.JsonNode container : deployment.path("spec").path("template").path("spec").path("containers")) {
            if (container.path("name").asText().equals("drawbridge")) {
                container.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
            }
        }
        if (!env.containsKey("JAVA_TOOL_OPTIONS")) {
            throw new IllegalStateException("deploy/deployment.yaml: no JAVA_TOOL_OPTIONS for the drawbridge container");
        }
        return env;
    }

    /**
     * {@code java -jar drawbridge.jar serve} with 20 environments of 500 resources each (one namespace per
     * environment in one mock API server of this process), resident memory once every environment has
     * been reconciled.
     */
    void serveMemory() throws Exception {
        Path jar = projectRoot.resolve("reconciler/target/drawbridge.jar");
        Path repoDir = work.resolve("serve-repo");
        try (GitFixtures repo = GitFixtures.init(repoDir); HarborStandIn registry = HarborStandIn.start();
             ApplyingMockServer cluster = ApplyingMockServer.start()) {
            writeResources(repo, registry, "base", null);
            Path kubeconfig = cluster.writeKubeconfig(work.resolve("serve-kubeconfig"));
            StringBuilder environments = new StringBuilder();
            for (int e = 0; e < SERVE_ENVIRONMENTS; e++) {
                repo.write("overlays/e" + e + "/kustomization.yaml", "namespace: bench-" + e + "\nresources: [../../base]\n");
                repo.write("policies/e" + e + ".yaml", """
                        apiVersion: drawbridge.dev/v1alpha1
                        kind: GatePolicy
                        metadata: {name: bench}
                        spec:
                          registries: {allow: ["harbor.example.com/bench/**"]}
                          scan: {required: true, maxAge: 7d}
                        """);
                environments.append("  - {name: e").append(e).append(", branch: env/bench, path: overlays/e").append(e)
                        .append(", interval: 1h, cluster: {kubeconfig: ").append(kubeconfig).append(", context: mock}}\n");
            }
            repo.commitAll("20 environments of 500 resources");
            repo.branch("env/bench");
            Path configFile = work.resolve("serve.yaml");
            Files.writeString(configFile, """
                    git: {url: %s}
                    registries: [{host: harbor.example.com, type: harbor, url: %s, insecure: true}]
                    environments:
                    %s""".formatted(repo.url(), registry.url(), environments));
            int port;
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Map<String, String> serveEnv = serveEnvironment(projectRoot);
            List<String> command = new ArrayList<>(List.of("java"));
            // DRAWBRIDGE_BENCH_JVM: extra options for a trial (e.g. -XX:NativeMemoryTracking=summary), printed below;
            // on the command line they win over JAVA_TOOL_OPTIONS
            List<String> extra = System.getenv("DRAWBRIDGE_BENCH_JVM") == null ? List.of()
                    : List.of(System.getenv("DRAWBRIDGE_BENCH_JVM").trim().split("\\s+"));
            command.addAll(extra);
            command.addAll(List.of("-jar", jar.toString(), "serve", "--config", configFile.toString(), "--port",
                    String.valueOf(port)));
            ProcessBuilder serveProcess = new ProcessBuilder(command);
            serveProcess.environment().putAll(serveEnv);
            Process serve = serveProcess
                    .redirectErrorStream(true).redirectOutput(work.resolve("serve.log").toFile()).start();
            try {
                long t0 = System.nanoTime();
                java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
                String status = "";
                com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
                while (!overallUp(json, status) && seconds(t0) < 600) {
                    Thread.sleep(1000);
                    try {
                        status = http.send(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                    } catch (java.io.IOException notYet) {
                        status = "";
                    }
                    if (!serve.isAlive()) {
                        throw new IllegalStateException("serve exited; see " + work.resolve("serve.log"));
                    }
                }
                if (!overallUp(json, status)) {
                    throw new IllegalStateException("serve did not become healthy: " + status);
                }
                double healthy = seconds(t0);
                Thread.sleep(2000);
                Map<String, Long> memory = procStatus(serve.pid());
                double cpu = cpuSeconds(serve.pid());
                System.out.println("serve.environments: " + SERVE_ENVIRONMENTS);
                System.out.println("serve.resources-per-environment: " + RESOURCES);
                System.out.println("serve.jvm-options: " + serveEnv.get("JAVA_TOOL_OPTIONS")
                        + (extra.isEmpty() ? "" : " (trial: " + String.join(" ", extra) + ")"));
                serveEnv.forEach((name, value) -> {
                    if (!name.equals("JAVA_TOOL_OPTIONS")) {
                        System.out.println("serve.env." + name + ": " + value);
                    }
                });
                print("serve.all-healthy.seconds", healthy);
                print("serve.rss.mb", memory.getOrDefault("VmRSS", 0L) / 1024.0);
                print("serve.rss-peak.mb", memory.getOrDefault("VmHWM", 0L) / 1024.0);
                System.out.println("serve.threads: " + memory.getOrDefault("Threads", 0L));
                print("serve.cpu.seconds", cpu);
                diagnose(serve.pid());

                // rounds of one more reconcile of every environment, nothing changed, triggered through the API;
                // the last one counts (the JIT has seen the code by then)
                double[] noop = null;
                for (int r = 0; r < NOOP_ROUNDS; r++) {
                    noop = reconcileRound(http, json, port, serve.pid());
                }
                print("serve.noop-round.seconds", noop[0]);
                print("serve.noop-round.cpu-seconds", noop[1]);
                // then one ConfigMap of the base changes: every environment renders, gates and applies one change
                repo.checkout("env/bench");
                repo.write("base/config-7.yaml", configMap(7, "v2").replace(", namespace: bench", ""));
                repo.commitAll("one change");
                repo.checkout("main");
                double[] change = reconcileRound(http, json, port, serve.pid());
                print("serve.change-round.seconds", change[0]);
                print("serve.change-round.cpu-seconds", change[1]);
                print("serve.rss-after-rounds.mb", procStatus(serve.pid()).getOrDefault("VmRSS", 0L) / 1024.0);
                // DRAWBRIDGE_BENCH_HOLD=seconds: keep serve running that long for a look with jcmd
                if (System.getenv("DRAWBRIDGE_BENCH_HOLD") != null) {
                    System.err.println("serve pid " + serve.pid() + " held for " + System.getenv("DRAWBRIDGE_BENCH_HOLD") + " s");
                    Thread.sleep(1000L * Long.parseLong(System.getenv("DRAWBRIDGE_BENCH_HOLD")));
                }
            } finally {
                serve.destroy();
                serve.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static boolean overallUp(com.fasterxml.jackson.databind.ObjectMapper json, String health) {
        try {
            return !health.isEmpty() && json.readTree(health).path("status").asText().equals("UP");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * After the resident memory was read: the heap in use after a full GC ({@code serve.heap-used.mb}), and
     * {@code jcmd} reports (native memory when tracked, threads, classes) in the work directory for a closer look.
     */
    private void diagnose(long pid) throws Exception {
        String pidText = String.valueOf(pid);
        jcmd(pidText, "GC.run");
        String heap = jcmd(pidText, "GC.heap_info");
        java.util.regex.Matcher used = java.util.regex.Pattern.compile("total \\d+K, used (\\d+)K").matcher(heap);
        long usedKb = 0;
        while (used.find()) {
            usedKb += Long.parseLong(used.group(1));
        }
        print("serve.heap-used.mb", usedKb / 1024.0);
        Path reports = work.resolve("serve-jcmd");
        Files.createDirectories(reports);
        Files.writeString(reports.resolve("heap_info.txt"), heap);
        for (String report : List.of("VM.native_memory summary", "Thread.print", "GC.class_histogram", "VM.metaspace")) {
            Files.writeString(reports.resolve(report.replace(' ', '-') + ".txt"), jcmd(pidText, report.split(" ")));
        }
        Files.copy(Path.of("/proc/" + pid + "/smaps"), reports.resolve("smaps.txt"));
        System.err.println("jcmd reports of serve: " + reports);
    }

    private static String jcmd(String pid, String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of("jcmd", pid));
        line.addAll(List.of(command));
        Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    /**
     * Triggers a reconcile of every environment of {@code serve} through its API and waits until each has
     * finished one: the wall time and the CPU time serve used (child processes, Kustomize, not counted).
     */
    static double[] reconcileRound(java.net.http.HttpClient http, com.fasterxml.jackson.databind.ObjectMapper json,
                                   int port, long pid) throws Exception {
        return reconcileRound(http, json, port, pid, 100);
    }

    /** As above, reading the environments every {@code pollMillis} (their JSON costs serve CPU too: 1,000 of them). */
    static double[] reconcileRound(java.net.http.HttpClient http, com.fasterxml.jackson.databind.ObjectMapper json,
                                   int port, long pid, long pollMillis) throws Exception {
        java.util.concurrent.Callable<Map<String, String>> finished = () -> {
            Map<String, String> at = new java.util.HashMap<>();
            String body = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    "http://127.0.0.1:" + port + "/api/environments")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            json.readTree(body).forEach(e -> at.put(e.path("name").asText(), e.path("finishedAt").asText()));
            return at;
        };
        Map<String, String> before = finished.call();
        double cpu0 = cpuSeconds(pid);
        long t0 = System.nanoTime();
        for (String environment : before.keySet()) {
            http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                    + "/api/environments/" + environment + "/reconcile")).POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                    .build(), java.net.http.HttpResponse.BodyHandlers.discarding());
        }
        while (seconds(t0) < 600) {
            Map<String, String> now = finished.call();
            if (before.keySet().stream().allMatch(n -> !now.get(n).equals(before.get(n)))) {
                break;
            }
            Thread.sleep(pollMillis);
        }
        double[] round = {seconds(t0), cpuSeconds(pid) - cpu0};
        System.err.printf(Locale.ROOT, "reconcile round: %.2f s, %.2f cpu-s%n", round[0], round[1]);
        return round;
    }

    /** CPU time (user + system) a process has used so far. */
    static double cpuSeconds(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0; // utime, stime in clock ticks
    }

    /** VmRSS, VmHWM (KiB) and Threads of a process. */
    static Map<String, Long> procStatus(long pid) throws Exception {
        Map<String, Long> values = new java.util.HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            String[] parts = line.split("\\s+");
            if (parts.length >= 2 && (parts[0].equals("VmRSS:") || parts[0].equals("VmHWM:") || parts[0].equals("Threads:"))) {
                values.put(parts[0].substring(0, parts[0].length() - 1), Long.parseLong(parts[1]));
            }
        }
        return values;
    }

    /**
     * 500 resources in {@code dir} with their kustomization: 100 Deployments, each with its own image pushed
     * (scanned clean) to the registry stand-in, and 400 ConfigMaps; in {@code namespace}, or none when null.
     */
    private static void writeResources(GitFixtures repo, HarborStandIn registry, String dir, String namespace) {
        Instant now = Instant.now();
        String ns = namespace == null ? "" : ", namespace: " + namespace;
        StringBuilder kustomization = new StringBuilder("resources:\n");
        for (int i = 0; i < WORKLOADS; i++) {
            registry.push("bench/svc-" + i, "1.0", now.minus(Duration.ofDays(5)), "Success", now.minusSeconds(3600));
            repo.write(dir + "/deploy-" + i + ".yaml", """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: svc-%d%s}
                    spec:
                      replicas: 1
                      selector: {matchLabels: {app: svc-%d}}
                      template:
                        metadata: {labels: {app: svc-%d}}
                        spec:
                          containers: [{name: app, image: "harbor.example.com/bench/svc-%d:1.0"}]
                    """.formatted(i, ns, i, i, i));
            kustomization.append("  - deploy-").append(i).append(".yaml\n");
        }
        for (int i = 0; i < RESOURCES - WORKLOADS; i++) {
            repo.write(dir + "/config-" + i + ".yaml", configMap(i, "v1").replace(", namespace: bench", ns));
            kustomization.append("  - config-").append(i).append(".yaml\n");
        }
        repo.write(dir + "/kustomization.yaml", kustomization.toString());
    }

    private static String configMap(int i, String value) {
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: config-%d, namespace: bench}
                data: {value: "%s"}
                """.formatted(i, value);
    }

    private static void expectApplied(ReconcileOutcome outcome) {
        if (!(outcome instanceof ReconcileOutcome.Applied)) {
            throw new IllegalStateException("bench reconcile did not apply: " + outcome);
        }
    }

    private static int run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        return p.exitValue();
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

}
