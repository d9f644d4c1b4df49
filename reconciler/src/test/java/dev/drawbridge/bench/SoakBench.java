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
 * five minutes) and at the end, both when a change is due (30 s after the last one), threads as the least and
 * descriptors as the median of nine reads three seconds apart: their growth in between should be none. What
 * differs is printed by thread pool and by what a descriptor points at (a socket by the port it is connected to).
 */
final class SoakBench {

    static final int ENVIRONMENTS = 20;
    static final int CHANGE_EVERY_SECONDS = 30;
    static final int DEFAULT_MINUTES = 30;
    /** Readings of threads and descriptors at each end, and how far apart (see {@link #steady}). */
    static final int READINGS = 9;
    static final long READING_EVERY_MS = 3_000;

    private final Path work;
    private final Path projectRoot;

    SoakBench(Path work, Path projectRoot) {
        this.work = work;
        this.projectRoot = projectRoot;
    }

    /** Threads and descriptors at one moment, with what they are (by pool, by target). */
    private record Reading(long threads, long fds, Map<String, Integer> pools, Map<String, Integer> targets) {
    }

    /**
     * Nine readings three seconds apart; the threads of the one with the fewest (a thread that lives a moment is not
     * a leak), the descriptors of the median one (a connection or process that lives a moment is not a leak, nor is
     * a connection replaced: an informer's watch is closed and opened again every 5 to 10 minutes, about a second
     * apart, and the fewest counted that second's gap; a registry connection is kept 5 seconds after its last
     * request, so a burst of lookups when the registry cache expires is in at most three of the nine, where five
     * reads a second apart counted it in all), each with its breakdown, so that the names printed add up to the
     * figures. Every reading runs {@code jcmd} first: its Attach Listener thread and socket in serve are then in every
     * reading, not only in those after the first.
     */
    private static Reading steady(ServeProcess serve, Map<Integer, String> peers) throws Exception {
        Reading fewestThreads = null;
        List<Reading> readings = new java.util.ArrayList<>();
        for (int i = 0; i < READINGS; i++) {
            Map<String, Integer> pools = serve.threadsByPool();
            Reading r = new Reading(serve.threads(), serve.fds(), pools, serve.fdsByTarget(peers));
            fewestThreads = fewestThreads == null || r.threads() < fewestThreads.threads() ? r : fewestThreads;
            readings.add(r);
            Thread.sleep(READING_EVERY_MS);
        }
        System.err.println("soak: descriptors in the " + READINGS + " reads: " + readings.stream().map(r -> String.valueOf(r.fds()))
                .collect(java.util.stream.Collectors.joining(", ")) + " (the median counts)");
        readings.sort(java.util.Comparator.comparingLong(Reading::fds));
        Reading medianFds = readings.get(readings.size() / 2);
        return new Reading(fewestThreads.threads(), medianFds.fds(), fewestThreads.pools(), medianFds.targets());
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
                Reading before = null;
                int changes = 0;
                while (Bench.seconds(start) < minutes * 60) {
                    if (rss0 < 0 && Bench.seconds(start) >= warmupSeconds) {
                        rss0 = serve.rssMb();
                        before = steady(serve, peers);
                        System.err.printf("soak: after %d s of warm-up: %.1f MB, %d threads, %d fds%n", warmupSeconds, rss0,
                                before.threads(), before.fds());
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
                // read at the same moment of the cycle as after the warm-up: when the next change would be made
                long wait = start + changes * CHANGE_EVERY_SECONDS * 1_000_000_000L - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000);
                }
                double rss = serve.rssMb();
                Reading after = steady(serve, peers);
                // what grew or shrank, by pool and by what a descriptor points at: a leak shows as one name growing
                for (String line : ServeProcess.differences(before.pools(), after.pools())) {
                    System.out.println("soak.threads-by-pool: " + line);
                }
                for (String line : ServeProcess.differences(before.targets(), after.targets())) {
                    System.out.println("soak.fds-by-target: " + line);
                }
                after.targets().forEach((target, n) -> System.err.println("soak: fds at the end: " + target + ": " + n));
                after.pools().forEach((pool, n) -> System.err.println("soak: threads at the end: " + pool + ": " + n));
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
                System.out.println("soak.threads: " + after.threads());
                System.out.println("soak.threads-growth: " + (after.threads() - before.threads()));
                System.out.println("soak.fds: " + after.fds());
                System.out.println("soak.fds-growth: " + (after.fds() - before.fds()));
                Bench.print("soak.cpu.seconds", serve.cpuSeconds());
                System.out.println("soak.load-average.end: " + ScaleBench.loadAverage());
                ScaleBench.hold(serve);
            }
        }
    }
}
