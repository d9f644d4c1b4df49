package dev.drawbridge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code java -jar drawbridge.jar serve} as a child process, with the JVM options and environment of
 * {@code deploy/deployment.yaml} (as the serve section of {@link Bench} runs it), on a free port, its output
 * in a log file; and what the benchmarks read of it: its REST API and {@code /proc}.
 */
final class ServeProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newHttpClient();

    private ServeProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts serve with {@code config}; {@code arguments} are added to its command line (Spring properties). */
    static ServeProcess start(Path projectRoot, Path config, Path log, List<String> arguments) throws Exception {
        Path jar = projectRoot.resolve("reconciler/target/drawbridge.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run mvn package first");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of("java"));
        // DRAWBRIDGE_BENCH_JVM: extra options for a trial (they win over JAVA_TOOL_OPTIONS), as in the serve section
        String extra = System.getenv("DRAWBRIDGE_BENCH_JVM");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString(), "serve", "--config", config.toString(), "--port", String.valueOf(port)));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command);
        // serve reads DRAWBRIDGE_* variables as configuration: the benchmark's own (DRAWBRIDGE_SCALE_..., _SOAK_...) are not for it
        builder.environment().keySet().removeIf(name -> name.startsWith("DRAWBRIDGE_"));
        builder.environment().putAll(Bench.serveEnvironment(projectRoot));
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy)); // a benchmark stopped early leaves no serve behind
        return new ServeProcess(process, port, log);
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    HttpClient http() {
        return http;
    }

    /** {@code GET /api/environments}, or an empty list while serve is not listening yet. */
    List<JsonNode> environments() throws InterruptedException {
        if (!process.isAlive()) {
            throw new IllegalStateException("serve exited with " + process.exitValue() + "; see " + log);
        }
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/environments")).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return List.of();
            }
            List<JsonNode> all = new ArrayList<>();
            JSON.readTree(response.body()).forEach(all::add);
            return all;
        } catch (IOException notYet) {
            return List.of();
        }
    }

    /** {@code POST /api/environments/ENV/reconcile}. */
    void trigger(String environment) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/environments/" + environment
                + "/reconcile")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    }

    /** VmRSS in MB. */
    double rssMb() throws Exception {
        return Bench.procStatus(pid()).getOrDefault("VmRSS", 0L) / 1024.0;
    }

    long threads() throws Exception {
        return Bench.procStatus(pid()).getOrDefault("Threads", 0L);
    }

    /** Open file descriptors ({@code /proc/PID/fd}). */
    long fds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid() + "/fd"))) {
            return fds.count();
        }
    }

    /**
     * Live threads by pool: each thread's name from {@code jcmd PID Thread.print} with its digits taken out
     * ({@code drawbridge-registry-7} counts as {@code drawbridge-registry-#}), sorted by name.
     */
    java.util.SortedMap<String, Integer> threadsByPool() throws Exception {
        Process jcmd = new ProcessBuilder("jcmd", String.valueOf(pid()), "Thread.print").redirectErrorStream(true).start();
        String dump = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        jcmd.waitFor(30, TimeUnit.SECONDS);
        java.util.SortedMap<String, Integer> pools = new java.util.TreeMap<>();
        java.util.regex.Matcher thread = java.util.regex.Pattern.compile("(?m)^\"([^\"]*)\"").matcher(dump);
        while (thread.find()) {
            pools.merge(thread.group(1).replaceAll("[0-9]+", "#"), 1, Integer::sum);
        }
        return pools;
    }

    /**
     * Open file descriptors by what they point at: a file's path, {@code pipe}, {@code anon_inode:[eventpoll]}, or
     * a TCP socket named by what it is connected to ({@link #socketName}): its inode ({@code socket:[INODE]}) joined
     * with {@code /proc/PID/net/tcp} and {@code tcp6}. {@code peers} names the ports the benchmark knows (the
     * registry stand-in, the API server stand-in); serve's own port is {@code serve}.
     */
    java.util.SortedMap<String, Integer> fdsByTarget(Map<Integer, String> peers) throws IOException {
        Map<Integer, String> names = new java.util.HashMap<>(peers);
        names.put(port, "serve");
        Map<String, String> sockets = tcpSockets(pid(), names);
        java.util.SortedMap<String, Integer> targets = new java.util.TreeMap<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid() + "/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String link = Files.readSymbolicLink(fd).toString();
                    java.util.regex.Matcher socket = SOCKET.matcher(link);
                    String target = socket.matches()
                            ? sockets.getOrDefault(socket.group(1), "socket (neither TCP nor Unix)")
                            : link.replaceAll(":\\[[0-9]+\\]$", "");
                    targets.merge(target, 1, Integer::sum);
                } catch (IOException closedMeanwhile) {
                    // closed between the listing and the read
                }
            }
        }
        return targets;
    }

    private static final java.util.regex.Pattern SOCKET = java.util.regex.Pattern.compile("socket:\\[([0-9]+)\\]");

    /** TCP states as {@code /proc/net/tcp} numbers them (include/net/tcp_states.h). */
    private static final List<String> TCP_STATES = List.of("?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1",
            "FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV");

    /** Socket inode to {@link #socketName}, from {@code /proc/PID/net/tcp} and {@code tcp6}; Unix sockets by path. */
    static Map<String, String> tcpSockets(long pid, Map<Integer, String> names) throws IOException {
        Map<String, String> sockets = new java.util.HashMap<>();
        for (String table : List.of("tcp", "tcp6")) {
            Path file = Path.of("/proc/" + pid + "/net/" + table);
            if (!Files.isReadable(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 10) {
                    continue;
                }
                int state = Integer.parseInt(f[3], 16);
                sockets.put(f[9], socketName(f[1], f[2], state < TCP_STATES.size() ? TCP_STATES.get(state) : f[3], names));
            }
        }
        // Unix sockets (Num RefCount Protocol Flags Type St Inode [Path]): e.g. the one jcmd attaches through
        Path unix = Path.of("/proc/" + pid + "/net/unix");
        if (Files.isReadable(unix)) {
            for (String line : Files.readAllLines(unix)) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 7 && f[6].matches("[0-9]+")) {
                    sockets.put(f[6], f.length > 7 ? "unix socket " + f[7] : "unix socket");
                }
            }
        }
        return sockets;
    }

    /**
     * {@code socket listening on serve}, {@code socket to api-server (ESTABLISHED)} (the remote port is known),
     * {@code socket from a client of serve (ESTABLISHED)} (the local port is known: an accepted connection), else
     * {@code socket to HOST:PORT (STATE)}. Addresses are {@code /proc/net/tcp}'s hex ({@code 0100007F:1F90}).
     */
    static String socketName(String local, String remote, String state, Map<Integer, String> names) {
        int localPort = Integer.parseInt(local.substring(local.indexOf(':') + 1), 16);
        int remotePort = Integer.parseInt(remote.substring(remote.indexOf(':') + 1), 16);
        if (state.equals("LISTEN")) {
            return "socket listening on " + names.getOrDefault(localPort, "port " + localPort);
        }
        if (names.containsKey(remotePort)) {
            return "socket to " + names.get(remotePort) + " (" + state + ")";
        }
        if (names.containsKey(localPort)) {
            return "socket from a client of " + names.get(localPort) + " (" + state + ")";
        }
        return "socket to " + host(remote.substring(0, remote.indexOf(':'))) + ":" + remotePort + " (" + state + ")";
    }

    /** An address of {@code /proc/net/tcp} (IPv4: 4 bytes, little-endian) or {@code tcp6} (four such words). */
    private static String host(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                bytes[word * 4 + b] = (byte) Integer.parseInt(hex.substring(word * 8 + (3 - b) * 2, word * 8 + (3 - b) * 2 + 2), 16);
            }
        }
        try {
            return java.net.InetAddress.getByAddress(bytes).getHostAddress();
        } catch (java.net.UnknownHostException notAnAddress) {
            return hex;
        }
    }

    /** What differs between two counts by name ({@link #threadsByPool}, {@link #fdsByTarget}), as "name: before -> after". */
    static List<String> differences(Map<String, Integer> before, Map<String, Integer> after) {
        java.util.SortedSet<String> names = new java.util.TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        List<String> lines = new ArrayList<>();
        for (String name : names) {
            int b = before.getOrDefault(name, 0);
            int a = after.getOrDefault(name, 0);
            if (a != b) {
                lines.add(name + ": " + b + " -> " + a);
            }
        }
        return lines;
    }

    double cpuSeconds() throws Exception {
        return Bench.cpuSeconds(pid());
    }

    /** The outcome of each environment; {@code "not-held"} where another replica holds it. */
    static Map<String, String> outcomes(List<JsonNode> environments) {
        Map<String, String> outcomes = new java.util.HashMap<>();
        for (JsonNode e : environments) {
            outcomes.put(e.path("name").asText(), e.path("holdsLease").asBoolean(true) ? e.path("outcome").asText() : "not-held");
        }
        return outcomes;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
