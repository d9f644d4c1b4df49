package dev.drawbridge.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.drawbridge.image.Digest;
import dev.drawbridge.registry.testing.LocalOciRegistry;
import dev.drawbridge.testing.GitFixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarInputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drawbridge's own image, built by the POM's Jib configuration exactly as a user runs it
 * ({@code mvn -pl reconciler jib:build}), on a base image the test pushes to a real registry (Debian's
 * {@code docker-registry}; no Docker, no internet), then read back from that registry: its user, its
 * entrypoint, its JVM options (those of {@code deploy/deployment.yaml}), and the jar it holds.
 */
class ImageIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static LocalOciRegistry registry;
    static JsonNode config;
    static Map<String, byte[]> files;

    @BeforeAll
    static void buildTheImage() throws Exception {
        registry = LocalOciRegistry.start();
        Digest base = pushBaseImage();
        Path root = GitFixtures.projectRoot();
        String target = registry.host() + "/drawbridge/drawbridge:it";
        List<String> command = List.of("mvn", "-B", "-q", "-ntp", "-f", root.resolve("reconciler/pom.xml").toString(),
                "jib:build", "-Djib.from.image=" + registry.host() + "/base/jre@" + base,
                "-Djib.to.image=" + target, "-Djib.allowInsecureRegistries=true", "-Djib.console=plain",
                "-Djib.disableUpdateChecks=true");
        Path log = Files.createTempFile("jib-build", ".log");
        Process mvn = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        assertThat(mvn.waitFor(5, TimeUnit.MINUTES)).as("jib:build finished").isTrue();
        assertThat(mvn.exitValue()).as("jib:build: " + Files.readString(log)).isZero();

        JsonNode manifest = JSON.readTree(get("/v2/drawbridge/drawbridge/manifests/it",
                "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json"));
        config = JSON.readTree(get("/v2/drawbridge/drawbridge/blobs/" + manifest.at("/config/digest").asText(), "*/*"));
        files = new HashMap<>();
        for (JsonNode layer : manifest.get("layers")) {
            readLayer(get("/v2/drawbridge/drawbridge/blobs/" + layer.get("digest").asText(), "*/*"));
        }
    }

    /**
     * A small base image standing in for the JRE image (the build does not run it): one real gzipped tar layer
     * with {@code /etc/passwd} naming the nonroot user, and a config whose diff_ids match, as Jib checks.
     */
    private static Digest pushBaseImage() throws IOException {
        byte[] passwd = "root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"
                .getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream tar = new java.io.ByteArrayOutputStream();
        byte[] header = new byte[512];
        put(header, 0, "etc/passwd");
        put(header, 100, "0000644");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", passwd.length));
        put(header, 136, "00000000000");
        header[156] = '0';
        put(header, 257, "ustar");
        put(header, 263, "00");
        java.util.Arrays.fill(header, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum) + "\0 ");
        tar.write(header);
        tar.write(passwd);
        tar.write(new byte[(512 - passwd.length % 512) % 512]);
        tar.write(new byte[1024]);
        byte[] uncompressed = tar.toByteArray();
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write(uncompressed);
        }
        byte[] layer = gz.toByteArray();
        Digest layerDigest = registry.pushBlob("base/jre", layer);
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2026-11-01T00:00:00Z\","
                + "\"config\":{\"Env\":[\"PATH=/usr/bin:/bin\"]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + Digest.sha256(uncompressed) + "\"]}}";
        byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);
        Digest configDigest = registry.pushBlob("base/jre", configBytes);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + LocalOciRegistry.OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"" + LocalOciRegistry.OCI_CONFIG + "\",\"digest\":\"" + configDigest
                + "\",\"size\":" + configBytes.length + "},\"layers\":[{\"mediaType\":\"" + LocalOciRegistry.OCI_LAYER
                + "\",\"digest\":\"" + layerDigest + "\",\"size\":" + layer.length + "}]}";
        return registry.pushManifest("base/jre", "17", LocalOciRegistry.OCI_MANIFEST, manifest.getBytes(StandardCharsets.UTF_8));
    }

    private static void put(byte[] header, int offset, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void runsAsTheUnprivilegedUserOfTheDeployment() {
        assertThat(config.at("/config/User").asText()).isEqualTo("65532:65532");
    }

    @Test
    void startsServeOnAFlatClassPathOfTheJarAndItsDependencies() {
        assertThat(texts(config.at("/config/Entrypoint")))
                .containsExactly("java", "-cp", "/app/classpath/*:/app/libs/*", "dev.drawbridge.cli.Main");
        assertThat(texts(config.at("/config/Cmd"))).containsExactly("serve", "--config", "/etc/drawbridge/config.yaml",
                "--state-dir", "/var/lib/drawbridge/state");
    }

    @Test
    void carriesTheJvmOptionsOfTheDeployment() throws IOException {
        JsonNode container = new ObjectMapper(new YAMLFactory())
                .readTree(GitFixtures.projectRoot().resolve("deploy/deployment.yaml").toFile())
                .at("/spec/template/spec/containers/0");
        Map<String, String> deploymentEnv = new HashMap<>();
        container.get("env").forEach(e -> deploymentEnv.put(e.get("name").asText(), e.path("value").asText(null)));
        assertThat(texts(config.at("/config/Env")))
                .contains("JAVA_TOOL_OPTIONS=" + deploymentEnv.get("JAVA_TOOL_OPTIONS"),
                        "MALLOC_ARENA_MAX=" + deploymentEnv.get("MALLOC_ARENA_MAX"));
        assertThat(texts(container.get("args"))).containsExactlyElementsOf(texts(config.at("/config/Cmd")));
    }

    @Test
    void holdsTheJarWithItsMainClassAndItsDependencies() throws IOException {
        byte[] jar = files.get("app/classpath/drawbridge.jar");
        assertThat(jar).as("app/classpath/drawbridge.jar in " + files.keySet()).isNotNull();
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            assertThat(in.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("dev.drawbridge.cli.Main");
        }
        assertThat(files.keySet()).anyMatch(f -> f.startsWith("app/libs/org.eclipse.jgit-"))
                .anyMatch(f -> f.startsWith("app/libs/spring-boot-"));
    }

    @Test
    void carriesTheKustomizeCliTheRenderStageRuns() {
        assertThat(files).as("the build machine's kubectl, copied at package time")
                .containsKey("usr/local/bin/kubectl");
        assertThat(files.get("usr/local/bin/kubectl")).isEqualTo(readQuietly(Path.of("/usr/bin/kubectl")));
    }

    @Test
    void deployReferencesTheImageTheBuildProduces() throws IOException {
        Path root = GitFixtures.projectRoot();
        String pom = Files.readString(root.resolve("reconciler/pom.xml"));
        String version = match(Files.readString(root.resolve("pom.xml")),
                "<artifactId>drawbridge-parent</artifactId>\\s*<version>([^<]+)</version>");
        String image = match(pom, "<drawbridge.image>([^<]+)</drawbridge.image>").replace("${project.version}", version);
        JsonNode container = new ObjectMapper(new YAMLFactory())
                .readTree(root.resolve("deploy/deployment.yaml").toFile()).at("/spec/template/spec/containers/0");
        assertThat(container.get("image").asText()).isEqualTo(image);
    }

    private static String match(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex).isTrue();
        return m.group(1);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static byte[] readQuietly(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return null;
        }
    }

    private static byte[] get(String path, String accept) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(registry.url() + path))
                .header("Accept", accept).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as("GET " + path + ": " + new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo(200);
        return response.body();
    }

    /** Reads a gzipped tar layer into {@link #files}: regular files by their path without a leading slash. */
    private static void readLayer(byte[] gzipped) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            byte[] header = new byte[512];
            String paxPath = null;
            while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                String name = new String(header, 0, 100, StandardCharsets.UTF_8).replace("\0", "");
                String prefix = new String(header, 345, 155, StandardCharsets.UTF_8).replace("\0", "");
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                long size = Long.parseLong(new String(header, 124, 12, StandardCharsets.UTF_8).replace("\0", "").trim(), 8);
                byte[] content = in.readNBytes((int) size);
                in.skipNBytes((512 - size % 512) % 512);
                if (header[156] == 'x') { // a PAX header: its path= record names the next entry
                    Matcher path = Pattern.compile("\\d+ path=([^\n]+)\n").matcher(new String(content, StandardCharsets.UTF_8));
                    paxPath = path.find() ? path.group(1) : null;
                    continue;
                }
                if (paxPath != null) {
                    name = paxPath;
                    paxPath = null;
                }
                if (header[156] == '0' || header[156] == 0) {
                    files.put(name.startsWith("/") ? name.substring(1) : name, content);
                }
            }
        }
    }
}
