package dev.drawbridge.bench;

import dev.drawbridge.apply.testing.ApplyingMockServer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The Kubernetes API server stand-in of {@code scripts/bench scale} and {@code soak}, in a process of its own
 * (so that its CPU and memory are not counted as serve's): the Fabric8 mock server in CRUD mode with the
 * project's server-side-apply dispatcher ({@link ApplyingMockServer}).
 *
 * <p>{@code java ... ApiServerStandIn KUBECONFIG} writes a kubeconfig (context {@code mock}) pointing at it,
 * prints {@code url: URL} and runs until its standard input ends (the parent closes it, or dies).
 * The requests the mock records for tests are dropped every second: nothing reads them here, and kept they
 * would grow without bound.
 */
public final class ApiServerStandIn {

    /** JVM options of the stand-in's process: it holds every object of 1,000 environments and their history. */
    static final List<String> JVM_OPTIONS = List.of("-Xmx1g", "-XX:+UseParallelGC");

    private ApiServerStandIn() {
    }

    /** A stand-in running in its own process. Closing it ends its input, then the process. */
    record Running(Process process, String url, Path kubeconfig) implements AutoCloseable {
        long pid() {
            return process.pid();
        }

        @Override
        public void close() throws InterruptedException {
            try {
                process.getOutputStream().close();
            } catch (IOException ignored) {
                // already gone
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Starts the stand-in in a new JVM (this one's class path), writing its kubeconfig; waits for its URL. */
    static Running launch(Path kubeconfig, Path log) throws Exception {
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", ApiServerStandIn.class.getName(), kubeconfig.toString()));
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("url: ")) {
            process.destroyForcibly();
            throw new IllegalStateException("API server stand-in did not start (" + line + "); see " + log);
        }
        return new Running(process, line.substring("url: ".length()), kubeconfig);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: ApiServerStandIn KUBECONFIG");
            System.exit(2);
        }
        ScheduledExecutorService forget = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "forget-requests");
            t.setDaemon(true);
            return t;
        });
        try (ApplyingMockServer server = ApplyingMockServer.start()) {
            forget.scheduleWithFixedDelay(server::clearRequests, 1, 1, TimeUnit.SECONDS);
            server.writeKubeconfig(Path.of(args[0]));
            System.out.println("url: " + server.url());
            System.out.flush();
            byte[] ignored = new byte[256];
            while (System.in.read(ignored) >= 0) {
                // nothing to read: the end of the input is the signal to stop
            }
        } finally {
            forget.shutdownNow();
        }
        System.exit(0);
    }
}
