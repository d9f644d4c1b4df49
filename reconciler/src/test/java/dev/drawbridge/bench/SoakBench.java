package dev.drawbridge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.testing.HarborStandIn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code scripts/bench soak}: serve (the packaged jar) with 20 environments ({@link PodinfoSizedApp}) against
 * the API server stand-in in its own process, a commit changing one environment every 30 s (and its reconcile
 * triggered through the API, as a webhook would), for 30 minutes ({@code DRAWBRIDGE_SOAK_MINUTES} overrides it).
 * Resident memory, threads and open file descriptors are read after a warm-up (a sixth of the time, at most
 * five minutes) and at the end (threads and descriptors as the least of five reads a second apart): their
 * growth in between should be none.
 */
final class SoakBench {

    static final int ENVIRONMENTS = 20;
    static final int CHANGE_EVERY_SECONDS = 30;
    static final int DEFAULT_MINUTES = 30;

    private final Path work;
    private final Path projectRoot;

    SoakBench(Path work, Path projectRoot) {
        this.work = work;
        this.projectRoot = projectRoot;
    }

    /** A count read five times a second apart, the least: a connection or process that lives a moment is not a leak. */
    private static long steady(java.util.concurrent.Callable<Long> count) throws Exception {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            least = Math.min(least, count.call());
            Thread.sleep(1000);
        }
        return least;
    }

    void soak() throws Exception {
        double minutes = Double.parseDouble(System.getenv().getOrDefault("DRAWBRIDGE_SOAK_MINUTES", String.valueOf(DEFAULT_MINUTES)));
        long warmupSeconds = Math.min(300, Math.round(minutes * 60 / 6));
        Files.createDirectories(work);
        try (HarborStandIn registry = HarborStandIn.start();
             EnvironmentBranches repo = EnvironmentBranches.create(work.resolve("deploy.git"));
             ApiServerStandIn.Running cluster = ApiServerStandIn.launch(work.resolve("kubeconfig"), work.resolve("api-server.log"))) {
            PodinfoSizedApp.pushImages(registry);
            ScaleBench.writeEnvironments(repo, ENVIRONMENTS);
            // the default interval (git.poll-interval, 1m): each environment is also reconciled unchanged every minute
            Path config = ScaleBench.writeConfig(work.resolve("drawbridge.yaml"), repo, registry, cluster.kubeconfig(),
                    ENVIRONMENTS, null, "");
            System.out.println("soak.environments: " + ENVIRONMENTS);
            System.out.println("soak.minutes: " + minutes);
            System.out.println("soak.change-every.seconds: " + CHANGE_EVERY_SECONDS);
            System.out.println("soak.load-average.start: " + ScaleBench.loadAverage());
            // a socket is named by the port it is connected to: these two, serve's own, else host:port
            Map<Integer, String> peers = Map.of(
                    java.net.URI.create(registry.url()).getPort(), "registry",
                    java.net.URI.create(cluster.url()).getPort(), "api-server");
            long t0 = System.nanoTime();
            try (ServeProcess serve = ServeProcess.start(projectRoot, config, work.resolve("serve.log"), List.of())) {
                ScaleBench.awaitAllApplied(List.of(serve), ENVIRONMENTS, t0);
                long start = System.nanoTime();
                Map<String, String> expected = new HashMap<>();
                double rss0 = -1;
                long threads0 = -1;
                long fds0 = -1;
                Map<String, Integer> pools0 = Map.of();
                Map<String, Integer> fdTargets0 = Map.of();
                int changes = 0;
                while (Bench.seconds(start) < minutes * 60) {
                    if (rss0 < 0 && Bench.seconds(start) >= warmupSeconds) {
                        rss0 = serve.rssMb();
                        threads0 = steady(serve::threads);
                        fds0 = steady(serve::fds);
                        pools0 = serve.threadsByPool();
                        fdTargets0 = serve.fdsByTarget(peers);
                        System.err.printf("soak: after %d s of warm-up: %.1f MB, %d threads, %d fds%n", warmupSeconds, rss0, threads0, fds0);
                    }
                    int e = changes % ENVIRONMENTS;
                    String env = "e" + e;
                    expected.put(env, repo.commit("env/" + env, PodinfoSizedApp.messageChange(env, e, ++changes), "change " + changes));
                    serve.trigger(env);
                    System.err.printf("soak: %.0f s: %d threads, %d fds%n", Bench.seconds(start), serve.threads(), serve.fds());
                    long next = start + changes * CHANGE_EVERY_SECONDS * 1_000_000_000L;
                    long wait = Math.min(next, start + (long) (minutes * 60e9)) - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000);
                    }
                }
                Thread.sleep(5000); // the last change's reconcile
                double rss = serve.rssMb();
                long threads = steady(serve::threads);
                long fds = steady(serve::fds);
                // what grew or shrank, by pool and by what a descriptor points at: a leak shows as one name growing
                for (String line : ServeProcess.differences(pools0, serve.threadsByPool())) {
                    System.out.println("soak.threads-by-pool: " + line);
                }
                for (String line : ServeProcess.differences(fdTargets0, serve.fdsByTarget(peers))) {
                    System.out.println("soak.fds-by-target: " + line);
                }
                serve.fdsByTarget(peers).forEach((target, n) -> System.err.println("soak: fds at the end: " + target + ": " + n));
                serve.threadsByPool().forEach((pool, n) -> System.err.println("soak: threads at the end: " + pool + ": " + n));
                int applied = 0;
                for (JsonNode view : serve.environments()) {
                    String sha = expected.get(view.path("name").asText());
                    if (sha != null && sha.equals(view.path("revision").asText()) && view.path("outcome").asText().equals("applied")) {
                        applied++;
                    }
                }
                System.out.println("soak.changes: " + changes);
                System.out.println("soak.environments-at-their-last-change: " + applied + " of " + expected.size());
                Bench.print("soak.rss-after-warmup.mb", rss0);
                Bench.print("soak.rss-end.mb", rss);
                Bench.print("soak.rss-growth.mb", rss - rss0);
                System.out.println("soak.threads: " + threads);
                System.out.println("soak.threads-growth: " + (threads - threads0));
                System.out.println("soak.fds: " + fds);
                System.out.println("soak.fds-growth: " + (fds - fds0));
                Bench.print("soak.cpu.seconds", serve.cpuSeconds());
                System.out.println("soak.load-average.end: " + ScaleBench.loadAverage());
                ScaleBench.hold(serve);
            }
        }
    }
}
