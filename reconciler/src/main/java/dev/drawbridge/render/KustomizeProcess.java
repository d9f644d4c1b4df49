package dev.drawbridge.render;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs the Kustomize CLI once, safely: an argument list (no shell), the checkout root as working
 * directory, a cleaned environment, a timeout that kills the whole process tree, and stdout and stderr
 * read concurrently into bounded buffers.
 */
final class KustomizeProcess {

    static final int MAX_STDERR_BYTES = 64 * 1024;
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    /** kubectl's klog line: {@code E1129 09:01:29.872325 3340 run.go:72] "command failed" err="..."}. */
    private static final Pattern KLOG_ERR = Pattern.compile("^[EF]\\d{4} .*?\\] .*?\\berr=\"((?:[^\"\\\\]|\\\\.)*)\"");
    /** klog's multi-line form: {@code err=<}, the message on tab-indented lines, then {@code >}. */
    private static final Pattern KLOG_ERR_BLOCK = Pattern.compile("^[EF]\\d{4} .*?\\] .*?\\berr=<$");

    /** A proxy nobody listens on: every proxied request fails at once. */
    private static final String NO_PROXY_HERE = "http://127.0.0.1:1";

    private final RenderSettings settings;

    KustomizeProcess(RenderSettings settings) {
        this.settings = settings;
    }

    /**
     * Runs the build of {@code dir} (a real path) in {@code root}; returns stdout.
     *
     * @param kustomization the kustomization file built, relative to the root, named in a failed build
     */
    String build(Path root, Path dir, String kustomization) throws RenderException {
        List<String> command = new ArrayList<>(command());
        command.add(dir.toString());
        Path home = null;
        Process process = null;
        try {
            home = Files.createTempDirectory("drawbridge-kustomize-");
            ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
            cleanEnvironment(builder.environment(), home);
            builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new RenderException("cannot run " + String.join(" ", command()) + ": " + e.getMessage());
            }
            Process running = process;
            AtomicBoolean overflow = new AtomicBoolean();
            Capture out = new Capture(process.getInputStream(), settings.maxOutputBytes(), () -> {
                overflow.set(true);
                killTree(running); // stop producing at once instead of waiting for the timeout
            });
            Capture err = new Capture(process.getErrorStream(), MAX_STDERR_BYTES, null);
            out.start();
            err.start();
            boolean finished = process.waitFor(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                killTree(process);
                process.waitFor(5, TimeUnit.SECONDS);
                throw new RenderException("kustomize build timed out after " + human(settings.timeout()));
            }
            out.join(5_000);
            err.join(5_000);
            if (overflow.get()) {
                throw new RenderException("kustomize build output exceeds " + humanBytes(settings.maxOutputBytes()));
            }
            String stderr = err.text().strip();
            int exit = process.exitValue();
            if (exit != 0) {
                String cleaned = stderr.replace(root + File.separator, "").replace(root.toString(), ".");
                throw new RenderException(kustomization, 0, firstError(cleaned, exit), cleaned, null);
            }
            return out.text();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (process != null) {
                killTree(process);
            }
            throw new RenderException("kustomize build interrupted");
        } catch (IOException e) {
            throw new RenderException("cannot run " + String.join(" ", command()) + ": " + e.getMessage());
        } finally {
            if (process != null && process.isAlive()) {
                killTree(process);
            }
            deleteQuietly(home);
        }
    }

    List<String> command() {
        if (!settings.command().isEmpty()) {
            return settings.command();
        }
        return findOnPath("kustomize").map(k -> List.of(k, "build"))
                .or(() -> findOnPath("kubectl").map(k -> List.of(k, "kustomize")))
                .orElse(List.of("kubectl", "kustomize"));
    }

    /**
     * Only PATH and a private, empty HOME: no credentials, proxies, KUBECONFIG or
     * KUSTOMIZE_PLUGIN_HOME reach the build, and plugin lookup under HOME finds nothing. Exec and
     * container functions stay off anyway because no {@code --enable-*} flag is ever passed.
     *
     * <p>Defence in depth behind the scan that refuses every URL before the build: HTTP(S) goes to a
     * proxy that does not exist (port 1 on loopback), so a fetch the scan missed fails instead of reaching
     * its host (Go never proxies loopback destinations, so tests of the scan still see such a fetch), and
     * git, which Kustomize runs to clone a remote base, may use no transport at all.
     */
    private static void cleanEnvironment(Map<String, String> env, Path home) {
        String path = env.getOrDefault("PATH", DEFAULT_PATH);
        env.clear();
        env.put("PATH", path);
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.toString());
        for (String proxy : List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy")) {
            env.put(proxy, NO_PROXY_HERE);
        }
        env.put("GIT_ALLOW_PROTOCOL", "none");
        env.put("GIT_TERMINAL_PROMPT", "0");
    }

    private static java.util.Optional<String> findOnPath(String program) {
        String path = System.getenv().getOrDefault("PATH", DEFAULT_PATH);
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return java.util.Optional.of(candidate.toString());
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * The line a user needs: Kustomize's {@code Error: ...}, kubectl's klog {@code err="..."}, else the
     * first line that is not a warning.
     */
    static String firstError(String stderr, int exit) {
        String fallback = null;
        String[] lines = stderr.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.isEmpty()) {
                continue;
            }
            if (KLOG_ERR_BLOCK.matcher(l).matches()) {
                StringBuilder block = new StringBuilder();
                for (int j = i + 1; j < lines.length && !lines[j].strip().equals(">"); j++) {
                    block.append(' ').append(lines[j].strip());
                }
                if (!block.isEmpty()) {
                    return block.toString().strip();
                }
            }
            if (l.startsWith("Error: ")) {
                return l.substring("Error: ".length());
            }
            Matcher klog = KLOG_ERR.matcher(l);
            if (klog.find()) {
                return klog.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
            }
            if (fallback == null && !l.regionMatches(true, 0, "warning", 0, 7) && !l.startsWith("# Warning")) {
                fallback = l;
            }
        }
        return fallback != null ? fallback : "kustomize exited with status " + exit;
    }

    private static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    static String human(Duration d) {
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + "ms";
        }
        return d.toSeconds() + "s";
    }

    static String humanBytes(long bytes) {
        if (bytes % (1024 * 1024) == 0) {
            return (bytes / (1024 * 1024)) + " MiB";
        }
        if (bytes % 1024 == 0) {
            return (bytes / 1024) + " KiB";
        }
        return bytes + " bytes";
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // a temp dir left behind is harmless
        }
    }

    /** Drains a stream into a buffer of at most {@code limit} bytes; beyond it, calls onOverflow and discards. */
    private static final class Capture extends Thread {
        private final InputStream in;
        private final long limit;
        private final Runnable onOverflow;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        Capture(InputStream in, long limit, Runnable onOverflow) {
            super("kustomize-capture");
            setDaemon(true);
            this.in = in;
            this.limit = limit;
            this.onOverflow = onOverflow;
        }

        @Override
        public void run() {
            byte[] chunk = new byte[64 * 1024];
            boolean overflowed = false;
            try (in) {
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    long room = limit - buffer.size();
                    if (n > room) {
                        buffer.write(chunk, 0, (int) Math.max(0, room));
                        if (!overflowed && onOverflow != null) {
                            overflowed = true;
                            onOverflow.run();
                            return;
                        }
                        overflowed = true; // keep draining stderr so the process never blocks on it
                    } else {
                        buffer.write(chunk, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // the stream closes when the process is killed
            }
        }

        synchronized String text() {
            return buffer.toString(StandardCharsets.UTF_8);
        }
    }
}
