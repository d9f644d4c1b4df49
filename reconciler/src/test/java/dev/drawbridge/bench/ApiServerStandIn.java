package dev.drawbridge.bench;

import dev.drawbridge.apply.testing.ApplyingMockServer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
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
 * The requests the mock records for tests are counted and dropped every second (kept they would grow without
 * bound), unless it is started with {@code --keep-requests}: then the lines {@code requests} and {@code clear} on
 * its input list ("METHOD PATH" each, then "end") and clear them. The line {@code counts} lists how many requests
 * each client sent ({@link #kind}), "CLIENT KIND COUNT" each, then "end" (without {@code --keep-requests}).
 */
public final class ApiServerStandIn {

    /** JVM options of the stand-in's process: it holds every object of 1,000 environments and their history. */
    static final List<String> JVM_OPTIONS = List.of("-Xmx1g", "-XX:+UseParallelGC");

    private ApiServerStandIn() {
    }

    /**
     * A stand-in running in its own process. Closing it ends its input, then the process. One started to keep its
     * requests answers {@link #requests()} and {@link #clearRequests()} (one command line each on its input).
     */
    record Running(Process process, String url, Path kubeconfig, BufferedReader answers) implements AutoCloseable {
        long pid() {
            return process.pid();
        }

        /** The requests since the start or the last {@link #clearRequests()}: "METHOD PATH" each. */
        synchronized List<String> requests() throws IOException {
            command(REQUESTS);
            List<String> requests = new ArrayList<>();
            for (String line = answers.readLine(); !END.equals(line); line = answers.readLine()) {
                if (line == null) {
                    throw new IOException("the API server stand-in ended");
                }
                requests.add(line);
            }
            return requests;
        }

        /** The write requests (any method but GET) among {@link #requests()}. */
        List<String> writes() throws IOException {
            return requests().stream().filter(request -> !request.startsWith("GET ")).toList();
        }

        /** Requests served so far, per client (its bearer token) and {@link #kind}: "CLIENT KIND" to the count. */
        synchronized Map<String, Long> counts() throws IOException {
            command(COUNTS);
            Map<String, Long> counts = new TreeMap<>();
            for (String line = answers.readLine(); !END.equals(line); line = answers.readLine()) {
                if (line == null) {
                    throw new IOException("the API server stand-in ended");
                }
                int space = line.lastIndexOf(' ');
                counts.put(line.substring(0, space), Long.parseLong(line.substring(space + 1)));
            }
            return counts;
        }

        synchronized void clearRequests() throws IOException {
            command(CLEAR);
            if (!END.equals(answers.readLine())) {
                throw new IOException("the API server stand-in did not clear its requests");
            }
        }

        private void command(String command) throws IOException {
            process.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
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

    private static final String KEEP_REQUESTS = "--keep-requests";
    private static final String REQUESTS = "requests";
    private static final String CLEAR = "clear";
    private static final String COUNTS = "counts";
    private static final String END = "end";

    /** Starts the stand-in in a new JVM (this one's class path), writing its kubeconfig; waits for its URL. */
    static Running launch(Path kubeconfig, Path log) throws Exception {
        return launch(kubeconfig, log, false);
    }

    /**
     * As {@link #launch(Path, Path)}; with {@code keepRequests} it keeps every request it serves until told to clear
     * them, for a benchmark that counts them.
     */
    static Running launch(Path kubeconfig, Path log, boolean keepRequests) throws Exception {
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", ApiServerStandIn.class.getName(), kubeconfig.toString()));
        if (keepRequests) {
            command.add(KEEP_REQUESTS);
        }
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("url: ")) {
            process.destroyForcibly();
            throw new IllegalStateException("API server stand-in did not start (" + line + "); see " + log);
        }
        return new Running(process, line.substring("url: ".length()), kubeconfig, out);
    }

    /**
     * What a request is, for counting: method, resource (with its API group), whether it names one object, and
     * whether it is a watch or a dry run; e.g. {@code PUT leases one}, {@code GET configmaps list watch},
     * {@code PATCH deployments one apply}.
     */
    static String kind(ApplyingMockServer.Call call) {
        String[] parts = call.path().replaceAll("^/+|/+$", "").split("/");
        // /api/v1/[namespaces/NS/]RESOURCE[/NAME[/SUB]] or /apis/GROUP/VERSION/[namespaces/NS/]RESOURCE[/NAME[/SUB]]
        int i = parts.length > 0 && parts[0].equals("apis") ? 3 : 2;
        String group = parts.length > 0 && parts[0].equals("apis") && parts.length > 1 ? parts[1] : "";
        if (parts.length > i + 2 && parts[i].equals("namespaces")) {
            i += 2;
        }
        if (parts.length <= i) {
            return call.method() + " " + call.path();
        }
        String resource = (group.isEmpty() ? "" : group + "/") + parts[i];
        StringBuilder kind = new StringBuilder(call.method()).append(' ').append(resource)
                .append(parts.length > i + 1 ? " one" : " list");
        if (parts.length > i + 2) {
            kind.append(" /").append(parts[i + 2]);
        }
        if ("true".equals(call.param("watch"))) {
            kind.append(" watch");
        }
        if (call.isApply()) {
            kind.append(" apply");
        }
        if (call.isDryRun()) {
            kind.append(" dry-run");
        }
        return kind.toString();
    }

    /** Server-side applies the stand-in makes to itself before it answers anyone ({@link #warmUp}). */
    static final int WARM_UP_APPLIES = 2_000;

    /**
     * Runs the stand-in's update path (a server-side apply of an object that exists) until the JIT has compiled it,
     * then leaves nothing behind: {@link #WARM_UP_APPLIES} applies of five ConfigMaps in a namespace of its own, deleted
     * afterwards, their requests forgotten. A real API server is compiled code; this one, a JVM, ran that path
     * interpreted in the reconcile benchmark (about twenty times per run after the 500 creates), which added ~15 ms
     * to each measured write, the stand-in's JIT warm-up and not Drawbridge's (docs/performance.md, session 10).
     */
    static void warmUp(ApplyingMockServer server) {
        var client = server.client();
        for (int i = 0; i < WARM_UP_APPLIES; i++) {
            var configMap = new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                    .withNewMetadata().withName("warm-up-" + i % 5).withNamespace("stand-in-warm-up").endMetadata()
                    .addToData("round", Integer.toString(i)).build();
            client.configMaps().resource(configMap).fieldManager("stand-in-warm-up").forceConflicts().serverSideApply();
        }
        for (int i = 0; i < 5; i++) {
            client.configMaps().inNamespace("stand-in-warm-up").withName("warm-up-" + i).delete();
        }
        server.clearRequests();
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2 || args.length == 2 && !args[1].equals(KEEP_REQUESTS)) {
            System.err.println("usage: ApiServerStandIn KUBECONFIG [" + KEEP_REQUESTS + "]");
            System.exit(2);
        }
        boolean keepRequests = args.length == 2;
        ScheduledExecutorService forget = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "forget-requests");
            t.setDaemon(true);
            return t;
        });
        try (ApplyingMockServer server = ApplyingMockServer.start()) {
            warmUp(server);
            Map<String, LongAdder> counts = new ConcurrentHashMap<>();
            Runnable count = () -> server.drainRequests().forEach(call ->
                    counts.computeIfAbsent(call.client() + " " + kind(call), k -> new LongAdder()).increment());
            if (!keepRequests) {
                forget.scheduleWithFixedDelay(count, 1, 1, TimeUnit.SECONDS);
            }
            server.writeKubeconfig(Path.of(args[0]));
            System.out.println("url: " + server.url());
            System.out.flush();
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String command = commands.readLine(); command != null; command = commands.readLine()) {
                // the end of the input is the signal to stop; the lines before it are commands
                if (command.equals(REQUESTS)) {
                    server.requests().forEach(call -> System.out.println(call.method() + " " + call.path()));
                } else if (command.equals(COUNTS)) {
                    forget.submit(count).get();
                    new TreeMap<>(counts).forEach((what, n) -> System.out.println(what + " " + n.sum()));
                } else if (command.equals(CLEAR)) {
                    server.clearRequests();
                }
                System.out.println(END);
                System.out.flush();
            }
        } finally {
            forget.shutdownNow();
        }
        System.exit(0);
    }
}
