package dev.drawbridge.registry.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.awaitility.core.ConditionTimeoutException;
import dev.drawbridge.image.Digest;
import dev.drawbridge.registry.RegistrySettings;

/**
 * A real OCI registry for tests: Debian's {@code docker-registry} (CNCF distribution 2.8) on a free loopback
 * port with filesystem storage in a temp dir. It has no referrers API, so attachments are also listed in the
 * referrers tag schema index ({@code sha256-<hex>}), maintained here the way cosign and oras do.
 *
 * <pre>{@code
 * try (LocalOciRegistry registry = LocalOciRegistry.start()) {
 *     Digest digest = registry.pushImage("shop/api", "1.0", Instant.parse("2026-01-01T00:00:00Z"));
 *     registry.attachTrivyReport("shop/api", digest, trivyJson);
 *     RegistrySettings settings = registry.settings();   // OCI, insecure, for RegistryLookup
 * }
 * }</pre>
 * Fails (never skips) when {@code docker-registry} is not installed: {@code scripts/test} installs it.
 * Pushing is safe from several threads; attachments to one subject are serialised (the tag schema index is
 * read, extended and written back).
 */
public final class LocalOciRegistry implements AutoCloseable {

    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
    public static final String CYCLONEDX = "application/vnd.cyclonedx+json";
    public static final String DSSE = "application/vnd.dsse.envelope.v1+json";
    public static final String TRIVY_ARTIFACT = "application/vnd.aquasec.trivy.report.v1+json";

    /** An index pushed by {@link #pushIndex}: its digest and the digest of each platform image. */
    public record PushedIndex(Digest digest, Map<String, Digest> platforms) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Process process;
    private final Path dir;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private LocalOciRegistry(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** Starts a fresh, empty registry and waits until {@code /v2/} answers. */
    public static LocalOciRegistry start() {
        String binary = findBinary().orElseThrow(() -> new IllegalStateException(
                "docker-registry is not installed (looked on PATH and in /usr/bin): scripts/test installs it, "
                        + "or run: apt-get install -y --no-install-recommends docker-registry"));
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            Path dir = null;
            try {
                dir = Files.createTempDirectory("drawbridge-oci-registry");
                int port = freePort();
                Path config = dir.resolve("config.yml");
                Files.writeString(config, """
                        version: 0.1
                        log:
                          level: error
                          accesslog:
                            disabled: true
                        storage:
                          filesystem:
                            rootdirectory: %s
                          delete:
                            enabled: true
                        http:
                          addr: 127.0.0.1:%d
                        """.formatted(dir.resolve("storage"), port));
                Process process = new ProcessBuilder(binary, "serve", config.toString())
                        .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
                Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "stop-docker-registry"));
                LocalOciRegistry registry = new LocalOciRegistry(process, dir, port);
                if (registry.awaitReady(Duration.ofSeconds(60))) {
                    return registry;
                }
                String log = Files.readString(dir.resolve("registry.log"));
                registry.close();
                last = new IllegalStateException("docker-registry did not become ready on port " + port + ": " + log);
            } catch (IOException e) {
                last = new IllegalStateException("could not start docker-registry: " + e.getMessage(), e);
                deleteQuietly(dir);
            }
        }
        throw last;
    }

    /** {@code 127.0.0.1:PORT}, the host part of image references. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public URI url() {
        return URI.create("http://" + host());
    }

    /**
     * Settings for this registry: OCI, anonymous, insecure (plain http), concurrency 8, and a 30 s timeout, generous
     * because a loaded machine slows the registry down and no test of it is about its timeout.
     */
    public RegistrySettings settings() {
        return new RegistrySettings(host(), RegistrySettings.Type.OCI, url(), null, null, true, 8, Duration.ofSeconds(30));
    }

    /** {@code 127.0.0.1:PORT/repo:tag}. */
    public String reference(String repository, String tag) {
        return host() + "/" + repository + ":" + tag;
    }

    /** {@code 127.0.0.1:PORT/repo@sha256:...}. */
    public String reference(String repository, Digest digest) {
        return host() + "/" + repository + "@" + digest;
    }

    // ---- pushing ---------------------------------------------------------------------------------------

    /** Pushes a blob (POST then PUT with its digest) and returns its digest. */
    public Digest pushBlob(String repository, byte[] content) {
        Digest digest = Digest.sha256(content);
        HttpResponse<String> head = send(HttpRequest.newBuilder(uri("/v2/" + repository + "/blobs/" + digest))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        if (head.statusCode() == 200) {
            return digest;
        }
        HttpResponse<String> start = send(HttpRequest.newBuilder(uri("/v2/" + repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        expect(start, 202, "start blob upload");
        String location = start.headers().firstValue("Location").orElseThrow();
        URI upload = url().resolve(location);
        String sep = upload.toString().contains("?") ? "&" : "?";
        HttpResponse<String> put = send(HttpRequest.newBuilder(URI.create(upload + sep + "digest=" + digest))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)));
        expect(put, 201, "finish blob upload");
        return digest;
    }

    /** Puts a manifest under a tag or its digest and returns its digest. */
    public Digest pushManifest(String repository, String reference, String mediaType, byte[] manifest) {
        Digest digest = Digest.sha256(manifest);
        String ref = reference == null ? digest.toString() : reference;
        HttpResponse<String> put = send(HttpRequest.newBuilder(uri("/v2/" + repository + "/manifests/" + ref))
                .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)));
        expect(put, 201, "push manifest " + ref);
        return digest;
    }

    /** Pushes a single-platform linux/amd64 image (a config with {@code created}, one random layer) under a tag. */
    public Digest pushImage(String repository, String tag, Instant created) {
        return pushImage(repository, tag, "linux", "amd64", created);
    }

    /** Like {@link #pushImage(String, String, Instant)} for a platform; {@code tag} may be null (by digest only). */
    public Digest pushImage(String repository, String tag, String os, String architecture, Instant created) {
        return pushManifest(repository, tag, OCI_MANIFEST, imageManifest(repository, os, architecture, created));
    }

    /** Pushes one image per platform ({@code linux/arm64} or {@code linux/arm/v7}) and an index of them under a tag. */
    public PushedIndex pushIndex(String repository, String tag, Map<String, Instant> platforms) {
        return pushIndex(repository, tag, platforms, false);
    }

    /**
     * Like {@link #pushIndex(String, String, Map)}; with {@code buildkitAttestations} the index also lists an
     * {@code unknown/unknown} attestation manifest per platform, as {@code docker buildx} does.
     */
    public PushedIndex pushIndex(String repository, String tag, Map<String, Instant> platforms,
                                 boolean buildkitAttestations) {
        ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        Map<String, Digest> digests = new LinkedHashMap<>();
        platforms.forEach((platform, created) -> {
            String[] parts = platform.split("/");
            byte[] manifest = imageManifest(repository, parts[0], parts[1], created);
            Digest digest = pushManifest(repository, null, OCI_MANIFEST, manifest);
            digests.put(platform, digest);
            ObjectNode entry = descriptor(OCI_MANIFEST, digest, manifest.length);
            ObjectNode p = entry.putObject("platform").put("architecture", parts[1]).put("os", parts[0]);
            if (parts.length > 2) {
                p.put("variant", parts[2]);
            }
            manifests.add(entry);
            if (buildkitAttestations) {
                byte[] attestation = artifactManifest(repository, null, null,
                        "application/vnd.in-toto+json", "{\"_type\":\"https://in-toto.io/Statement/v0.1\"}"
                                .getBytes(StandardCharsets.UTF_8), Map.of());
                Digest a = pushManifest(repository, null, OCI_MANIFEST, attestation);
                ObjectNode ae = descriptor(OCI_MANIFEST, a, attestation.length);
                ae.putObject("platform").put("architecture", "unknown").put("os", "unknown");
                ae.putObject("annotations").put("vnd.docker.reference.type", "attestation-manifest")
                        .put("vnd.docker.reference.digest", digest.toString());
                manifests.add(ae);
            }
        });
        Digest digest = pushManifest(repository, tag, OCI_INDEX, bytes(index));
        return new PushedIndex(digest, digests);
    }

    /** Points {@code tag} at the manifest with {@code digest} (moves the tag). */
    public void tag(String repository, Digest digest, String tag) {
        HttpResponse<byte[]> get = sendBytes(HttpRequest.newBuilder(uri("/v2/" + repository + "/manifests/" + digest))
                .header("Accept", OCI_INDEX + ", " + OCI_MANIFEST).GET());
        expectBytes(get, 200, "read manifest " + digest);
        String mediaType = get.headers().firstValue("Content-Type").orElse(OCI_MANIFEST);
        pushManifest(repository, tag, mediaType, get.body());
    }

    // ---- attaching -------------------------------------------------------------------------------------

    /** Attaches a Trivy JSON report to {@code subject}; returns the referrer's digest. */
    public Digest attachTrivyReport(String repository, Digest subject, String trivyJson) {
        return attach(repository, subject, TRIVY_ARTIFACT, "application/json",
                trivyJson.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** Attaches a Trivy JSON report whose artifact is annotated {@code org.opencontainers.image.created}. */
    public Digest attachTrivyReport(String repository, Digest subject, String trivyJson, Instant created) {
        return attach(repository, subject, TRIVY_ARTIFACT, "application/json",
                trivyJson.getBytes(StandardCharsets.UTF_8), Map.of("org.opencontainers.image.created", created.toString()));
    }

    /**
     * Attaches a cosign vulnerability attestation (an in-toto statement with predicate type
     * {@code https://cosign.sigstore.dev/attestation/vuln/v1} in an unsigned DSSE envelope) whose
     * {@code predicate.scanner.result} is {@code trivyJson}.
     */
    public Digest attachCosignVulnAttestation(String repository, Digest subject, Instant scanFinishedOn,
                                              String trivyJson) {
        return attach(repository, subject, DSSE, DSSE, cosignVulnEnvelope(repository, subject, scanFinishedOn, trivyJson),
                Map.of());
    }

    private byte[] cosignVulnEnvelope(String repository, Digest subject, Instant scanFinishedOn, String trivyJson) {
        ObjectNode statement = JSON.createObjectNode().put("_type", "https://in-toto.io/Statement/v0.1")
                .put("predicateType", "https://cosign.sigstore.dev/attestation/vuln/v1");
        statement.putArray("subject").addObject().put("name", host() + "/" + repository)
                .putObject("digest").put(subject.algorithm(), subject.hex());
        ObjectNode predicate = statement.putObject("predicate");
        predicate.putObject("invocation").put("uri", "").put("event_id", "").put("builder.id", "");
        ObjectNode scanner = predicate.putObject("scanner").put("uri", "pkg:github/aquasecurity/trivy@v0.50.0")
                .put("version", "0.50.0");
        scanner.putObject("db").put("uri", "").put("version", "");
        scanner.set("result", readTree(trivyJson));
        predicate.putObject("metadata").put("scanStartedOn", scanFinishedOn.minusSeconds(30).toString())
                .put("scanFinishedOn", scanFinishedOn.toString());
        ObjectNode envelope = JSON.createObjectNode().put("payloadType", "application/vnd.in-toto+json")
                .put("payload", Base64.getEncoder().encodeToString(bytes(statement)));
        envelope.putArray("signatures").addObject().put("keyid", "").put("sig", "");
        return bytes(envelope);
    }

    /**
     * A cosign vulnerability attestation as {@code cosign attest} pushes it without referrers: an image manifest
     * at tag {@code sha256-<hex>.att} (no subject) whose layer is the DSSE envelope.
     */
    public Digest pushCosignAttestationTag(String repository, Digest subject, Instant scanFinishedOn, String trivyJson) {
        byte[] manifest = artifactManifest(repository, null, null, DSSE,
                cosignVulnEnvelope(repository, subject, scanFinishedOn, trivyJson), Map.of());
        return pushManifest(repository, subject.algorithm() + "-" + subject.hex() + ".att", OCI_MANIFEST, manifest);
    }

    /** Attaches a DSSE envelope (e.g. from {@link Attestations}) as a referrer of {@code subject}. */
    public Digest attachEnvelope(String repository, Digest subject, byte[] envelope) {
        return attach(repository, subject, DSSE, DSSE, envelope, Map.of());
    }

    /**
     * Pushes DSSE envelopes as {@code cosign attest} does without referrers: one image manifest at tag
     * {@code sha256-<hex>.att}, one layer per envelope, annotated with its predicate type.
     */
    public Digest pushAttestationTag(String repository, Digest subject, String predicateType, byte[]... envelopes) {
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        Digest configDigest = pushBlob(repository, empty);
        ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", OCI_MANIFEST);
        manifest.set("config", descriptor("application/vnd.oci.image.config.v1+json", configDigest, empty.length));
        ArrayNode layers = manifest.putArray("layers");
        for (byte[] envelope : envelopes) {
            ObjectNode layer = descriptor(DSSE, pushBlob(repository, envelope), envelope.length);
            layer.putObject("annotations").put("predicateType", predicateType);
            layers.add(layer);
        }
        return pushManifest(repository, subject.algorithm() + "-" + subject.hex() + ".att", OCI_MANIFEST, bytes(manifest));
    }

    /** An SPDX SBOM as {@code cosign attach sbom --type spdxjson} pushes it: at tag {@code sha256-<hex>.sbom}. */
    public Digest pushCosignSbomTag(String repository, Digest subject) {
        byte[] sbom = "{\"spdxVersion\":\"SPDX-2.3\",\"SPDXID\":\"SPDXRef-DOCUMENT\",\"packages\":[]}".getBytes(StandardCharsets.UTF_8);
        byte[] manifest = artifactManifest(repository, null, null, "text/spdx+json", sbom, Map.of());
        return pushManifest(repository, subject.algorithm() + "-" + subject.hex() + ".sbom", OCI_MANIFEST, manifest);
    }

    /** Attaches a minimal CycloneDX SBOM. */
    public Digest attachSbom(String repository, Digest subject) {
        String sbom = "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"version\":1,\"components\":[]}";
        return attach(repository, subject, CYCLONEDX, CYCLONEDX, sbom.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /**
     * Pushes an artifact manifest ({@code artifactType}, empty config, one layer, {@code subject}) and lists
     * it in the referrers tag schema index of the subject.
     */
    public synchronized Digest attach(String repository, Digest subject, String artifactType, String layerMediaType,
                         byte[] content, Map<String, String> annotations) {
        HttpResponse<byte[]> subjectManifest = sendBytes(HttpRequest.newBuilder(
                uri("/v2/" + repository + "/manifests/" + subject)).header("Accept", OCI_INDEX + ", " + OCI_MANIFEST).GET());
        expectBytes(subjectManifest, 200, "read subject " + subject);
        String subjectType = subjectManifest.headers().firstValue("Content-Type").orElse(OCI_MANIFEST);
        ObjectNode subjectDescriptor = descriptor(subjectType, subject, subjectManifest.body().length);
        byte[] manifest = artifactManifest(repository, artifactType, subjectDescriptor, layerMediaType, content,
                annotations);
        Digest digest = pushManifest(repository, null, OCI_MANIFEST, manifest);
        addToReferrersTag(repository, subject, digest, manifest.length, artifactType, annotations);
        return digest;
    }

    private void addToReferrersTag(String repository, Digest subject, Digest referrer, long size, String artifactType,
                                   Map<String, String> annotations) {
        String tag = subject.algorithm() + "-" + subject.hex();
        HttpResponse<byte[]> existing = sendBytes(HttpRequest.newBuilder(uri("/v2/" + repository + "/manifests/" + tag))
                .header("Accept", OCI_INDEX).GET());
        ObjectNode index;
        if (existing.statusCode() == 200) {
            index = (ObjectNode) readTree(new String(existing.body(), StandardCharsets.UTF_8));
        } else {
            index = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", OCI_INDEX);
            index.putArray("manifests");
        }
        ObjectNode entry = descriptor(OCI_MANIFEST, referrer, size);
        if (artifactType != null) {
            entry.put("artifactType", artifactType);
        }
        if (!annotations.isEmpty()) {
            ObjectNode a = entry.putObject("annotations");
            annotations.forEach(a::put);
        }
        ((ArrayNode) index.get("manifests")).add(entry);
        pushManifest(repository, tag, OCI_INDEX, bytes(index));
    }

    // ---- lifecycle -------------------------------------------------------------------------------------

    /** Stops the registry (SIGTERM, then kill after 5 s) and deletes its storage. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        deleteQuietly(dir);
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private byte[] imageManifest(String repository, String os, String architecture, Instant created) {
        byte[] layer = new byte[64];
        RANDOM.nextBytes(layer); // a unique layer, so that every pushed image has its own digest
        Digest layerDigest = pushBlob(repository, layer);
        ObjectNode config = JSON.createObjectNode().put("architecture", architecture).put("os", os);
        if (created != null) {
            config.put("created", created.toString());
        }
        config.putObject("config");
        ObjectNode rootfs = config.putObject("rootfs").put("type", "layers");
        rootfs.putArray("diff_ids").add(layerDigest.toString());
        byte[] configBytes = bytes(config);
        Digest configDigest = pushBlob(repository, configBytes);
        ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", OCI_MANIFEST);
        manifest.set("config", descriptor(OCI_CONFIG, configDigest, configBytes.length));
        manifest.putArray("layers").add(descriptor(OCI_LAYER, layerDigest, layer.length));
        return bytes(manifest);
    }

    private byte[] artifactManifest(String repository, String artifactType, ObjectNode subject, String layerMediaType,
                                    byte[] content, Map<String, String> annotations) {
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        Digest emptyDigest = pushBlob(repository, empty);
        Digest layerDigest = pushBlob(repository, content);
        ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", OCI_MANIFEST);
        if (artifactType != null) {
            manifest.put("artifactType", artifactType);
        }
        manifest.set("config", descriptor(OCI_EMPTY, emptyDigest, empty.length).put("data", "e30="));
        manifest.putArray("layers").add(descriptor(layerMediaType, layerDigest, content.length));
        if (subject != null) {
            manifest.set("subject", subject);
        }
        if (!annotations.isEmpty()) {
            ObjectNode a = manifest.putObject("annotations");
            annotations.forEach(a::put);
        }
        return bytes(manifest);
    }

    private static ObjectNode descriptor(String mediaType, Digest digest, long size) {
        return JSON.createObjectNode().put("mediaType", mediaType).put("digest", digest.toString()).put("size", size);
    }

    /** Polls {@code /v2/} until it answers 200, the process dies, or {@code timeout} passes. */
    private boolean awaitReady(Duration timeout) {
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(20)).until(() -> !process.isAlive() || answers());
        } catch (ConditionTimeoutException e) {
            return false;
        }
        return process.isAlive();
    }

    private boolean answers() throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(uri("/v2/")).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        }
    }

    private URI uri(String path) {
        return URI.create("http://" + host() + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<byte[]> sendBytes(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void expect(HttpResponse<String> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(what + ": registry answered " + response.statusCode() + ": " + response.body());
        }
    }

    private static void expectBytes(HttpResponse<byte[]> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(what + ": registry answered " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<String> findBinary() {
        String path = System.getenv().getOrDefault("PATH", "");
        List<String> dirs = new ArrayList<>(List.of(path.split(File.pathSeparator)));
        dirs.add("/usr/bin");
        dirs.add("/usr/local/bin");
        return dirs.stream().filter(d -> !d.isBlank()).map(d -> Path.of(d, "docker-registry"))
                .filter(Files::isExecutable).map(Path::toString).findFirst();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }
}
