package dev.drawbridge.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code java -jar drawbridge.jar serve} configured by Spring properties only ({@code --drawbridge.*}
 * arguments, {@code DRAWBRIDGE_*} environment variables), against the real Git repository, Harbor stand-in
 * and mock cluster of {@link ServeFixture}: the packaged jar, as a user runs it.
 */
class ServePropertiesIT {

    static final Path JAR = Path.of("target/drawbridge.jar");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The fixture's configuration (production only) as {@code drawbridge.*} properties, without the prefix. */
    static Map<String, String> configuration(ServeFixture f) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("git.url", f.repo.url());
        keys.put("git.poll-interval", "1h");
        keys.put("registries[0].host", "harbor.example.com");
        keys.put("registries[0].type", "harbor");
        keys.put("registries[0].url", f.registry.url());
        keys.put("registries[0].insecure", "true");
        keys.put("environments[0].name", "production");
        keys.put("environments[0].branch", "env/production");
        keys.put("environments[0].path", "production");
        keys.put("environments[0].interval", "1h");
        keys.put("environments[0].cluster.kubeconfig", f.kubeconfig().toString());
        keys.put("environments[0].cluster.context", "mock");
        return keys;
    }

    /** {@code git.poll-interval} as Spring's environment variable: {@code DRAWBRIDGE_GIT_POLLINTERVAL}. */
    static String variable(String key) {
        return "DRAWBRIDGE_" + key.replace("-", "").replaceAll("[.\\[]", "_").replace("]", "").toUpperCase();
    }

    Process serve(List<String> args, Map<String, String> environment, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xmx256m", "-jar", JAR.toAbsolutePath().toString(), "serve"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("DRAWBRIDGE_") || name.startsWith("SPRING_"));
        builder.environment().putAll(environment);
        return builder.start();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Waits until production was applied, then stops the process (SIGTERM: a graceful stop). */
    void awaitProductionApplied(Process serve, int port, Path log, ServeFixture f) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
                assertThat(serve.isAlive()).as("serve exited early:%n%s", Files.readString(log)).isTrue();
                try {
                    HttpResponse<String> api = http.send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port + "/api/environments/production"))
                                    .timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    JsonNode production = JSON.readTree(api.body());
                    return production.path("outcome").asText().equals("applied");
                } catch (IOException notYet) {
                    return false;
                }
            });
            assertThat(f.cluster.client().apps().deployments().inNamespace("shop").withName("api").get()
                    .getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                    .startsWith("harbor.example.com/prod/shop/api@sha256:");
            assertThat(Files.readString(log)).contains("serving 1 environment(s) from drawbridge.* properties");
        } finally {
            serve.destroy();
            if (!serve.waitFor(30, TimeUnit.SECONDS)) {
                serve.destroyForcibly();
            }
        }
    }

    @Test
    void servesWithTheConfigurationGivenOnlyAsDrawbridgeArguments() throws Exception {
        try (ServeFixture f = new ServeFixture(dir)) {
            int port = freePort();
            List<String> args = new ArrayList<>(List.of("--port", String.valueOf(port)));
            configuration(f).forEach((key, value) -> args.add("--drawbridge." + key + "=" + value));
            Path log = dir.resolve("serve.log");

            awaitProductionApplied(serve(args, Map.of(), log), port, log, f);
        }
    }

    @Test
    void servesWithTheConfigurationGivenOnlyAsEnvironmentVariables() throws Exception {
        try (ServeFixture f = new ServeFixture(dir)) {
            int port = freePort();
            Map<String, String> environment = new LinkedHashMap<>();
            configuration(f).forEach((key, value) -> environment.put(variable(key), value));
            assertThat(environment).containsKeys("DRAWBRIDGE_GIT_POLLINTERVAL", "DRAWBRIDGE_ENVIRONMENTS_0_CLUSTER_KUBECONFIG");
            // what Kubernetes adds for the Service named drawbridge is not configuration
            environment.put("DRAWBRIDGE_SERVICE_HOST", "10.96.0.12");
            environment.put("DRAWBRIDGE_PORT_80_TCP", "tcp://10.96.0.12:80");
            Path log = dir.resolve("serve.log");

            awaitProductionApplied(serve(List.of("--port", String.valueOf(port)), environment, log), port, log, f);
        }
    }

    @Test
    void anUnknownKeyInAnEnvironmentVariableStopsServeWithExitTwoAndOneLine() throws Exception {
        Path config = dir.resolve("drawbridge.yaml");
        Files.writeString(config, "git: {url: file:///nowhere}\nenvironments: [{name: dev, branch: env/dev, path: dev}]\n");
        Path log = dir.resolve("serve.log");
        Process serve = serve(List.of("--config", config.toString(), "--port", "0"),
                Map.of("DRAWBRIDGE_ENVIRONMENTS_0_INTERVALL", "5m", "DRAWBRIDGE_GIT_PASSWORDFILE", "/var/run/secrets/git"), log);

        assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(serve.exitValue()).isEqualTo(2);
        assertThat(Files.readAllLines(log)).containsExactly("environment variable DRAWBRIDGE_ENVIRONMENTS_0_INTERVALL: "
                + "drawbridge.environments[0].intervall: unknown key (did you mean \"interval\"?)");
    }
}
