package dev.drawbridge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drawbridge.testing.HarborStandIn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code scripts/bench scale}: serve (the packaged jar, a child process) with 1,000 environments of ten objects
 * each ({@link PodinfoSizedApp}, one branch per environment), against the API server stand-in in a process of
 * its own ({@link ApiServerStandIn}) and the registry stand-in of this process: the time until every
 * environment is applied, the resident memory then, and the CPU of a round of reconciles with nothing
 * changed; then the same with two replicas sharing the environments through Leases, against a new stand-in.
 * {@code DRAWBRIDGE_SCALE_ENVIRONMENTS} overrides the number of environments (for a quick trial);
 * {@code DRAWBRIDGE_SCALE_REPLICAS=2} runs only the two replicas, {@code =1} only the one.
 */
final class ScaleBench {

    static final int DEFAULT_ENVIRONMENTS = 1000;
    /** Rounds of reconciles with nothing changed; the last one counts (the first warms the JIT). */
    static final int NOOP_ROUNDS = 2;
    static final long TIMEOUT_SECONDS = 1800;
    /** This machine's cores: the CPU time of serve, Kustomize and the stand-in over them is the wall-time floor. */
    static final int CORES = Runtime.getRuntime().availableProcessors();
    /**
     * {@code leases.duration} of the two replicas (renewed every third of it). Both replicas renew 1,000 Leases in
     * all per renew period; the stand-in answers each write by scanning every object it stores (10,000 here), one at
     * a time: at the default's 5 s that alone is 200 writes a second, more than it answers besides the applies.
     */
    static final String LEASE_DURATION = "60s";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path work;
    private final Path projectRoot;

    ScaleBench(Path work, Path projectRoot) {
        this.work = work;
        this.projectRoot = projectRoot;
    }

    void scale() throws Exception {
        int environments = Integer.parseInt(System.getenv().getOrDefault("DRAWBRIDGE_SCALE_ENVIRONMENTS",
                String.valueOf(DEFAULT_ENVIRONMENTS)));
        Files.createDirectories(work);
        try (HarborStandIn registry = HarborStandIn.start();
             EnvironmentBranches repo = EnvironmentBranches.create(work.resolve("deploy.git"))) {
            PodinfoSizedApp.pushImages(registry);
            long g0 = System.nanoTime();
            writeEnvironments(repo, environments);
            System.err.printf("scale: %d branches written in %.1f s; work directory %s%n", environments, Bench.seconds(g0), work);
            System.out.println("scale.environments: " + environments);
            System.out.println("scale.objects-per-environment: " + PodinfoSizedApp.OBJECTS);
            System.out.println("scale.jvm-options: " + Bench.serveEnvironment(projectRoot).get("JAVA_TOOL_OPTIONS"));
            System.out.println("scale.load-average.start: " + loadAverage());
            String replicas = System.getenv().getOrDefault("DRAWBRIDGE_SCALE_REPLICAS", "");
            if (!replicas.equals("2")) {
                oneReplica(repo, registry, environments);
            }
            if (!replicas.equals("1")) {
                twoReplicas(repo, registry, environments);
            }
            System.out.println("scale.load-average.end: " + loadAverage());
        }
    }

    /** One branch per environment ({@code env/eN}, holding only its application); the policies on main. */
    static void writeEnvironments(EnvironmentBranches repo, int environments) {
        Map<String, String> policies = new HashMap<>();
        for (int e = 0; e < environments; e++) {
            repo.commit("env/e" + e, PodinfoSizedApp.files("e" + e, e), "podinfo for e" + e);
            policies.put("policies/e" + e + ".yaml", PodinfoSizedApp.policy());
        }
        repo.commit("main", policies, "policies of " + environments + " environments");
    }

    /** The configuration file: every environment on its branch, in the stand-in's cluster; {@code extra} appended. */
    static Path writeConfig(Path file, EnvironmentBranches repo, HarborStandIn registry, Path kubeconfig, int environments,
                            String interval, String extra) throws Exception {
        StringBuilder yaml = new StringBuilder("""
                git: {url: %s}
                registries: [{host: %s, type: harbor, url: %s, insecure: true}]
                environments:
                """.formatted(repo.url(), PodinfoSizedApp.REGISTRY_HOST, registry.url()));
        for (int e = 0; e < environments; e++) {
            yaml.append("  - {name: e").append(e).append(", branch: env/e").append(e).append(", path: ").append(PodinfoSizedApp.PATH)
                    .append(interval == null ? "" : ", interval: " + interval)
                    .append(", cluster: {kubeconfig: ").append(kubeconfig).append(", context: mock}}\n");
        }
        yaml.append(extra);
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);
        return file;
    }

    private void oneReplica(EnvironmentBranches repo, HarborStandIn registry, int environments) throws Exception {
        Path dir = work.resolve("one");
        Files.createDirectories(dir);
        try (ApiServerStandIn.Running cluster = ApiServerStandIn.launch(dir.resolve("kubeconfig"), dir.resolve("api-server.log"))) {
            Path config = writeConfig(dir.resolve("drawbridge.yaml"), repo, registry, cluster.kubeconfig(), environments, "1h", "");
            long t0 = System.nanoTime();
            try (ServeProcess serve = ServeProcess.start(projectRoot, config, dir.resolve("serve.log"),
                    List.of())) {
                double applied = awaitAllApplied(List.of(serve), environments, t0);
                Thread.sleep(2000);
                Map<String, Long> status = Bench.procStatus(serve.pid());
                Bench.print("scale.all-applied.seconds", applied);
                Bench.print("scale.rss.mb", status.getOrDefault("VmRSS", 0L) / 1024.0);
                Bench.print("scale.rss-peak.mb", status.getOrDefault("VmHWM", 0L) / 1024.0);
                System.out.println("scale.threads: " + status.getOrDefault("Threads", 0L));
                // where the CPU went until then: serve, its Kustomize processes, the API server stand-in
                double serveCpu = serve.cpuSeconds();
                double kustomizeCpu = childrenCpuSeconds(serve.pid());
                double apiCpu = Bench.cpuSeconds(cluster.pid());
                Bench.print("scale.cpu.seconds", serveCpu);
                Bench.print("scale.kustomize.cpu.seconds", kustomizeCpu);
                Bench.print("scale.api-server.cpu.seconds", apiCpu);
                Bench.print("scale.all-applied.cpu-floor.seconds", (serveCpu + kustomizeCpu + apiCpu) / CORES);
                double[] noop = null;
                for (int r = 0; r < NOOP_ROUNDS; r++) {
                    noop = Bench.reconcileRound(serve.http(), JSON, serve.port(), serve.pid(), 1000);
                }
                Bench.print("scale.noop-round.seconds", noop[0]);
                Bench.print("scale.noop-round.cpu-seconds", noop[1]);
                Bench.print("scale.rss-after-rounds.mb", serve.rssMb());
                hold(serve);
            }
        }
    }

    private void twoReplicas(EnvironmentBranches repo, HarborStandIn registry, int environments) throws Exception {
        Path dir = work.resolve("two");
        Files.createDirectories(dir);
        try (ApiServerStandIn.Running cluster = ApiServerStandIn.launch(dir.resolve("kubeconfig"), dir.resolve("api-server.log"))) {
            // the same configuration, but each replica with a kubeconfig of its own token, so that the stand-in counts
            // the requests of each ("a", "b")
            String leases = "leases: {namespace: drawbridge-system, duration: " + LEASE_DURATION + "}\n";
            Path configA = writeConfig(dir.resolve("drawbridge-a.yaml"), repo, registry,
                    withToken(cluster.kubeconfig(), dir.resolve("kubeconfig-a"), "a"), environments, "1h", leases);
            Path configB = writeConfig(dir.resolve("drawbridge-b.yaml"), repo, registry,
                    withToken(cluster.kubeconfig(), dir.resolve("kubeconfig-b"), "b"), environments, "1h", leases);
            long t0 = System.nanoTime();
            try (ServeProcess a = ServeProcess.start(projectRoot, configA, dir.resolve("serve-a.log"),
                    List.of("--drawbridge.leases.identity=a"));
                 ServeProcess b = ServeProcess.start(projectRoot, configB, dir.resolve("serve-b.log"),
                         List.of("--drawbridge.leases.identity=b"))) {
                Progress applied = progress(List.of(a, b), environments, t0);
                if (applied.allApplied()) {
                    Bench.print("scale.two-replicas.all-applied.seconds", applied.seconds());
                } else {
                    System.out.printf("scale.two-replicas.all-applied.seconds: not reached (%d of %d applied after %.0f s)%n",
                            applied.applied(), environments, applied.seconds());
                }
                // where the CPU went until then, and what each replica asked of the stand-in
                Bench.print("scale.two-replicas.kustomize.cpu.seconds", childrenCpuSeconds(a.pid()) + childrenCpuSeconds(b.pid()));
                Bench.print("scale.two-replicas.api-server.cpu.seconds", Bench.cpuSeconds(cluster.pid()));
                printRequests(cluster.counts());
                // the replicas balance at each renew (5 s by default): give them a few before counting
                long s0 = System.nanoTime();
                int[] held = held(a, b);
                while ((held[0] + held[1] != environments || Math.abs(held[0] - held[1]) > 1) && Bench.seconds(s0) < 60) {
                    Thread.sleep(2000);
                    held = held(a, b);
                }
                System.out.println("scale.two-replicas.held.a: " + held[0]);
                System.out.println("scale.two-replicas.held.b: " + held[1]);
                Bench.print("scale.two-replicas.rss.a.mb", a.rssMb());
                Bench.print("scale.two-replicas.rss.b.mb", b.rssMb());
                Bench.print("scale.two-replicas.cpu.a.seconds", a.cpuSeconds());
                Bench.print("scale.two-replicas.cpu.b.seconds", b.cpuSeconds());
            }
        }
    }

    /** A copy of {@code kubeconfig} whose user authenticates with {@code token} (the stand-in tells clients apart by it). */
    static Path withToken(Path kubeconfig, Path copy, String token) throws Exception {
        String yaml = Files.readString(kubeconfig);
        String changed = yaml.replaceFirst("token: [^}\\s]+", "token: " + token);
        if (changed.equals(yaml)) {
            throw new IllegalStateException("no token in " + kubeconfig);
        }
        return Files.writeString(copy, changed);
    }

    /**
     * The stand-in's requests per client until now: {@code scale.two-replicas.requests.CLIENT} (all of them) and
     * {@code ...requests.CLIENT.writes}, then one line per kind on standard error.
     */
    static void printRequests(Map<String, Long> counts) {
        Map<String, long[]> byClient = new java.util.TreeMap<>();
        counts.forEach((what, n) -> {
            String client = what.substring(0, what.indexOf(' '));
            long[] sums = byClient.computeIfAbsent(client, c -> new long[2]);
            sums[0] += n;
            if (!what.contains(" GET ")) {
                sums[1] += n;
            }
        });
        byClient.forEach((client, sums) -> {
            System.out.println("scale.two-replicas.requests." + client + ": " + sums[0]);
            System.out.println("scale.two-replicas.requests." + client + ".writes: " + sums[1]);
        });
        counts.forEach((what, n) -> System.err.println("requests: " + what + " " + n));
    }

    private static int[] held(ServeProcess a, ServeProcess b) throws InterruptedException {
        return new int[] {
                (int) a.environments().stream().filter(e -> e.path("holdsLease").asBoolean()).count(),
                (int) b.environments().stream().filter(e -> e.path("holdsLease").asBoolean()).count()};
    }

    /**
     * Seconds from {@code startNanos} until every environment's last reconcile, by the replica holding it,
     * applied. Reads {@code /api/environments} of each replica every 2 s; progress on standard error.
     */
    static double awaitAllApplied(List<ServeProcess> replicas, int environments, long startNanos) throws Exception {
        Progress progress = progress(replicas, environments, startNanos);
        if (!progress.allApplied()) {
            throw new IllegalStateException("not every environment applied within " + TIMEOUT_SECONDS + " s: " + progress);
        }
        return progress.seconds();
    }

    /** How far the replicas came: every environment applied after {@code seconds}, or {@code applied} of them at the timeout. */
    record Progress(boolean allApplied, double seconds, int applied) {
    }

    /** As {@link #awaitAllApplied}, but the timeout is an answer, not an error. */
    static Progress progress(List<ServeProcess> replicas, int environments, long startNanos) throws Exception {
        double lastReport = 0;
        int lastApplied = 0;
        while (Bench.seconds(startNanos) < TIMEOUT_SECONDS) {
            Set<String> applied = new HashSet<>();
            Map<String, String> failed = new HashMap<>();
            for (ServeProcess serve : replicas) {
                for (JsonNode e : serve.environments()) {
                    if (!e.path("holdsLease").asBoolean(true)) {
                        continue;
                    }
                    String outcome = e.path("outcome").asText();
                    if (outcome.equals("applied")) {
                        applied.add(e.path("name").asText());
                    } else if (outcome.equals("failed") || outcome.equals("blocked")) {
                        failed.put(e.path("name").asText(), e.path("reason").asText() + ": " + e.path("message").asText());
                    }
                }
            }
            double now = Bench.seconds(startNanos);
            if (applied.size() == environments) {
                return new Progress(true, now, environments);
            }
            lastApplied = applied.isEmpty() ? lastApplied : applied.size(); // empty: the API did not answer
            if (now - lastReport >= 30) {
                lastReport = now;
                System.err.printf("%.0f s: %d of %d applied, %d failed or blocked%s%n", now, applied.size(), environments,
                        failed.size(), failed.isEmpty() ? "" : " (e.g. " + failed.entrySet().iterator().next() + ")");
            }
            Thread.sleep(2000);
        }
        return new Progress(false, Bench.seconds(startNanos), lastApplied);
    }

    /** DRAWBRIDGE_BENCH_HOLD=seconds: keep serve running that long for a look with jcmd (as the serve section does). */
    static void hold(ServeProcess serve) throws InterruptedException {
        if (System.getenv("DRAWBRIDGE_BENCH_HOLD") != null) {
            System.err.println("serve pid " + serve.pid() + " held for " + System.getenv("DRAWBRIDGE_BENCH_HOLD") + " s");
            Thread.sleep(1000L * Long.parseLong(System.getenv("DRAWBRIDGE_BENCH_HOLD")));
        }
    }

    /** CPU time (user + system) of the finished child processes of a process (Kustomize's, for serve). */
    static double childrenCpuSeconds(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) / 100.0; // cutime, cstime in clock ticks
    }

    /** The 1, 5 and 15 minute load averages of the machine ({@code /proc/loadavg}). */
    static String loadAverage() throws Exception {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }
}
