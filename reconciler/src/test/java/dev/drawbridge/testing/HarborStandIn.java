package dev.drawbridge.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.drawbridge.image.Digest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * A STAND-IN for a Harbor registry (tests, demo and benchmark only; never shipped): WireMock answering
 * the OCI distribution API ({@code /v2/...}: manifests by tag and digest, image config blobs) and
 * Harbor's REST API v2.0 (artifact with {@code scan_overview}, {@code additions/vulnerabilities}) with the
 * paths, headers and JSON shapes of Harbor's public API. Optional fixed latency per request.
 */
public final class HarborStandIn implements AutoCloseable {

    public static final String REPORT_MIME = "application/vnd.security.vulnerability.report; version=1.1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One vulnerability as Harbor reports it. */
    public record Vuln(String id, String pkg, String version, String fixVersion, String severity) {
    }

    /** What the stand-in knows about one pushed image. */
    public record Image(String repository, String tag, Digest digest, Instant created, String scanStatus,
                        Instant scanEnd, List<Vuln> vulnerabilities) {
    }

    private final WireMockServer server;
    private final int latencyMillis;
    private final Map<String, Image> images = new LinkedHashMap<>();

    public static HarborStandIn start() {
        return new HarborStandIn(0, 16, false);
    }

    /** A stand-in that adds {@code latencyMillis} to every answer, served by enough threads for {@code threads} concurrent requests. */
    public static HarborStandIn withLatency(int latencyMillis, int threads) {
        return new HarborStandIn(latencyMillis, threads, false);
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    public String host() {
        return "127.0.0.1:" + server.port();
    }

    public WireMockServer wireMock() {
        return server;
    }

    public List<Image> images() {
        return new ArrayList<>(images.values());
    }

    /**
     * Pushes an image: {@code repository} is the path inside the registry ({@code prod/shop/api}: project
     * {@code prod}, repository {@code shop/api}). A null {@code scanStatus} means never scanned.
     */
    public Image push(String repository, String tag, Instant created, String scanStatus, Instant scanEnd, Vuln... vulns) {
        try {
            ObjectNode config = JSON.createObjectNode();
            config.put("created", created.toString());
            config.put("architecture", "amd64");
            config.put("os", "linux");
            config.putObject("config").putArray("Env").add("PATH=/usr/local/bin:/usr/bin:/bin");
            ObjectNode rootfs = config.putObject("rootfs");
            rootfs.put("type", "layers");
            rootfs.putArray("diff_ids").add("sha256:" + "0".repeat(64));
            byte[] configBytes = JSON.writeValueAsBytes(config);
            Digest configDigest = Digest.sha256(configBytes);

            ObjectNode manifest = JSON.createObjectNode();
            manifest.put("schemaVersion", 2);
            manifest.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
            ObjectNode cfg = manifest.putObject("config");
            cfg.put("mediaType", "application/vnd.oci.image.config.v1+json");
            cfg.put("digest", configDigest.toString());
            cfg.put("size", configBytes.length);
            ObjectNode layer = manifest.putArray("layers").addObject();
            layer.put("mediaType", "application/vnd.oci.image.layer.v1.tar+gzip");
            layer.put("digest", Digest.sha256((repository + ":" + tag).getBytes(StandardCharsets.UTF_8)).toString());
            layer.put("size", 1024);
            byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
            Digest digest = Digest.sha256(manifestBytes);

            for (String ref : List.of(tag, digest.toString())) {
                String path = "/v2/" + repository + "/manifests/" + ref;
                server.stubFor(get(urlEqualTo(path)).willReturn(manifestResponse(manifestBytes, digest)));
                server.stubFor(head(urlEqualTo(path)).willReturn(manifestResponse(new byte[0], digest)
                        .withHeader("Content-Length", String.valueOf(manifestBytes.length))));
            }
            server.stubFor(get(urlEqualTo("/v2/" + repository + "/blobs/" + configDigest)).willReturn(delayed(aResponse()
                    .withStatus(200).withHeader("Content-Type", "application/octet-stream").withBody(configBytes))));
            Image image = new Image(repository, tag, digest, created, scanStatus, scanEnd, List.of(vulns));
            stubHarborArtifact(image);
            images.put(repository + ":" + tag, image);
            return image;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private ResponseDefinitionBuilder manifestResponse(byte[] body, Digest digest) {
        return delayed(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .withHeader("Docker-Content-Digest", digest.toString())
                .withBody(body));
    }

    private ResponseDefinitionBuilder delayed(ResponseDefinitionBuilder response) {
        return latencyMillis > 0 ? response.withFixedDelay(latencyMillis) : response;
    }

    /** {@code prod/shop/api} -> {@code /api/v2.0/projects/prod/repositories/shop%252Fapi/artifacts/<digest>}. */
    public static String artifactPath(String repository, Digest digest) {
        int slash = repository.indexOf('/');
        String project = repository.substring(0, slash);
        String repo = repository.substring(slash + 1).replace("/", "%252F");
        return "/api/v2.0/projects/" + project + "/repositories/" + repo + "/artifacts/" + digest;
    }

    private void stubHarborArtifact(Image image) throws com.fasterxml.jackson.core.JsonProcessingException {
        String path = artifactPath(image.repository(), image.digest());
        ObjectNode artifact = JSON.createObjectNode();
        artifact.put("id", images.size() + 1);
        artifact.put("type", "IMAGE");
        artifact.put("media_type", "application/vnd.oci.image.config.v1+json");
        artifact.put("manifest_media_type", "application/vnd.oci.image.manifest.v1+json");
        artifact.put("digest", image.digest().toString());
        artifact.put("push_time", image.created().toString());
        ObjectNode extra = artifact.putObject("extra_attrs");
        extra.put("architecture", "amd64");
        extra.put("os", "linux");
        extra.put("created", image.created().toString());
        artifact.putArray("tags").addObject().put("name", image.tag());
        if (image.scanStatus() != null) {
            ObjectNode overview = artifact.putObject("scan_overview").putObject(REPORT_MIME);
            overview.put("report_id", "r-" + image.digest().hex().substring(0, 8));
            overview.put("scan_status", image.scanStatus());
            overview.put("severity", worst(image.vulnerabilities()));
            overview.put("complete_percent", image.scanStatus().equals("Success") ? 100 : 40);
            if (image.scanEnd() != null) {
                overview.put("start_time", image.scanEnd().minusSeconds(12).toString());
                overview.put("end_time", image.scanEnd().toString());
                overview.put("duration", 12);
            }
            ObjectNode scanner = overview.putObject("scanner");
            scanner.put("name", "Trivy");
            scanner.put("vendor", "Aqua Security");
            scanner.put("version", "v0.58.1");
            ObjectNode summary = overview.putObject("summary");
            summary.put("total", image.vulnerabilities().size());
            summary.put("fixable", image.vulnerabilities().stream().filter(v -> v.fixVersion() != null && !v.fixVersion().isEmpty()).count());
            ObjectNode counts = summary.putObject("summary");
            for (Vuln v : image.vulnerabilities()) {
                counts.put(v.severity(), counts.path(v.severity()).asInt(0) + 1);
            }
        }
        artifacts.put(image.digest(), artifact);
        // Harbor's {reference} is a digest or a tag: the same artifact answers at both
        for (String at : List.of(path, path.substring(0, path.lastIndexOf('/') + 1) + image.tag())) {
            server.stubFor(harborGet(at).withQueryParam("with_scan_overview", equalTo("true"))
                    .willReturn(delayed(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                            .withBody(JSON.writeValueAsBytes(artifact)))));
        }

        ObjectNode additions = JSON.createObjectNode();
        ObjectNode report = additions.putObject(REPORT_MIME);
        report.put("generated_at", image.scanEnd() == null ? image.created().toString() : image.scanEnd().toString());
        report.putObject("scanner").put("name", "Trivy").put("vendor", "Aqua Security").put("version", "v0.58.1");
        report.put("severity", worst(image.vulnerabilities()));
        ArrayNode vulns = report.putArray("vulnerabilities");
        for (Vuln v : image.vulnerabilities()) {
            ObjectNode n = vulns.addObject();
            n.put("id", v.id());
            n.put("package", v.pkg());
            n.put("version", v.version());
            n.put("fix_version", v.fixVersion() == null ? "" : v.fixVersion());
            n.put("severity", v.severity());
            n.put("description", v.id() + " in " + v.pkg());
            n.putArray("links").add("https://avd.aquasec.com/nvd/" + v.id().toLowerCase());
        }
        server.stubFor(harborGet(path + "/additions/vulnerabilities")
                .willReturn(delayed(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(JSON.writeValueAsBytes(additions)))));
    }

    /** The artifact answers of the images pushed, by digest. */
    private final Map<Digest, ObjectNode> artifacts = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Harbor generates an SBOM for the image (Harbor 2.11+): as Harbor does, its answer for the artifact tells
     * of it only when asked, in {@code sbom_overview} ({@code with_sbom_overview=true}) and in
     * {@code accessories} as type {@code harbor.sbom} ({@code with_accessory=true}).
     */
    public void generateSbom(Image image) {
        ObjectNode artifact = artifacts.get(image.digest()).deepCopy();
        Digest sbom = Digest.sha256(("sbom of " + image.digest()).getBytes(StandardCharsets.UTF_8));
        ObjectNode overview = artifact.putObject("sbom_overview");
        overview.put("start_time", image.created().plusSeconds(60).toString());
        overview.put("end_time", image.created().plusSeconds(75).toString());
        overview.put("scan_status", "Success");
        overview.put("sbom_digest", sbom.toString());
        overview.put("report_id", "s-" + image.digest().hex().substring(0, 8));
        overview.put("duration", 15);
        ObjectNode accessory = artifact.putArray("accessories").addObject();
        accessory.put("id", 90 + artifacts.size());
        accessory.put("artifact_id", 91 + artifacts.size());
        accessory.put("subject_artifact_digest", image.digest().toString());
        accessory.put("subject_artifact_repo", image.repository());
        accessory.put("digest", sbom.toString());
        accessory.put("type", "harbor.sbom");
        accessory.put("size", 1234);
        String path = artifactPath(image.repository(), image.digest());
        try {
            byte[] body = JSON.writeValueAsBytes(artifact);
            for (String at : List.of(path, path.substring(0, path.lastIndexOf('/') + 1) + image.tag())) {
                server.stubFor(harborGet(at).withQueryParam("with_scan_overview", equalTo("true"))
                        .withQueryParam("with_sbom_overview", equalTo("true"))
                        .withQueryParam("with_accessory", equalTo("true")).atPriority(1)
                        .willReturn(delayed(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                                .withBody(body))));
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MappingBuilder harborGet(String path) {
        return get(urlPathEqualTo(path));
    }

    private static String worst(List<Vuln> vulns) {
        for (String s : List.of("Critical", "High", "Medium", "Low")) {
            if (vulns.stream().anyMatch(v -> v.severity().equals(s))) {
                return s;
            }
        }
        return "None";
    }

    /** Counts requests received whose path starts with {@code prefix} (needs the request journal: see {@link #journaled}). */
    public int requestsTo(String prefix) {
        return (int) server.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().startsWith(prefix)).count();
    }

    /** A stand-in that keeps a request journal, so tests can count requests. */
    public static HarborStandIn journaled() {
        return new HarborStandIn(0, 16, true);
    }

    private HarborStandIn(int latencyMillis, int threads, boolean journal) {
        this.latencyMillis = latencyMillis;
        var opts = options().dynamicPort().bindAddress("127.0.0.1").containerThreads(Math.max(threads, 16)).jettyAcceptors(2);
        this.server = new WireMockServer(journal ? opts : opts.disableRequestJournal());
        server.start();
        server.stubFor(get(urlEqualTo("/v2/")).willReturn(delayed(aResponse().withStatus(200).withBody("{}"))));
    }

    @Override
    public void close() {
        server.stop();
    }
}
