package dev.drawbridge.registry;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.drawbridge.image.Digest;
import dev.drawbridge.image.InvalidImageReferenceException;
import dev.drawbridge.image.Severity;

/**
 * Scan results from Harbor's REST API v2.0: the artifact's {@code scan_overview} (a map keyed by report MIME
 * type), and, when the summary counts any finding, the {@code vulnerabilities} addition for ids and fixed
 * versions. HTTP Basic, robot accounts welcome. The repository part of the path is URL-encoded twice when
 * it holds a slash, as Harbor requires.
 */
final class HarborScanSource implements ScanSource {
    static final String ACCEPT_VULNERABILITIES = "application/vnd.security.vulnerability.report; version=1.1, "
            + "application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0";
    static final String NATIVE_REPORT = "application/vnd.security.vulnerability.report; version=1.1";
    private static final long ARTIFACT_MAX_BYTES = 8L << 20;
    private static final long VULNERABILITIES_MAX_BYTES = 64L << 20;

    /** Asked only for environments that require an SBOM: Harbor then lists accessories and its SBOM overview. */
    static final String SBOM_QUERY = "&with_accessory=true&with_sbom_overview=true";

    private final RegistryHttp http;
    private final OciDistributionClient oci;

    HarborScanSource(RegistryHttp http, OciDistributionClient oci) {
        this.http = http;
        this.oci = oci;
    }

    /** {@code /api/v2.0/projects/{project}/repositories/{repository}/artifacts/{digest}} for a repository path. */
    static String artifactPath(String repository, Digest digest) {
        return artifactPath(repository, digest.toString());
    }

    /** The same path for a reference that is a digest or a tag (Harbor's {@code {reference}}). */
    static String artifactPath(String repository, String reference) {
        int slash = repository.indexOf('/');
        String project = repository.substring(0, slash);
        String rest = repository.substring(slash + 1);
        String twice = URLEncoder.encode(URLEncoder.encode(rest, StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        return "/api/v2.0/projects/" + URLEncoder.encode(project, StandardCharsets.UTF_8) + "/repositories/" + twice
                + "/artifacts/" + reference;
    }

    @Override
    public ScanFacts find(String repository, Digest digest, boolean sbom) throws RegistryException {
        if (repository.indexOf('/') < 0) {
            throw http.failure(repository, 0, "a Harbor repository must be project/name");
        }
        String what = "artifact " + digest.shortForm();
        RegistryHttp.Response response = artifact(repository, digest.toString(), sbom, what);
        if (response.status() == 404) {
            throw http.failure(repository, 404, "Harbor does not know " + what + " (404)");
        }
        return withSbom(repository, digest, facts(repository, parse(repository, response, what), digest), sbom);
    }

    /**
     * The artifact by digest or tag, with its scan overview, and, when SBOMs are asked for, its accessories and
     * SBOM overview. A 404 to that longer question is asked again as documented ({@code with_scan_overview=true}
     * only), so a Harbor or a stand-in that answers only that still answers.
     */
    private RegistryHttp.Response artifact(String repository, String reference, boolean sbom, String what)
            throws RegistryException {
        String path = artifactPath(repository, reference) + "?with_scan_overview=true";
        if (sbom) {
            RegistryHttp.Response response = request(repository, path + SBOM_QUERY, ARTIFACT_MAX_BYTES, what);
            if (response.status() != 404) {
                return response;
            }
        }
        return request(repository, path, ARTIFACT_MAX_BYTES, what);
    }

    /**
     * When an SBOM is required and the artifact's answer shows none, Harbor's OCI referrers API is asked too:
     * an SBOM attached with {@code oras attach} or {@code cosign attach sbom} is an accessory whose type Harbor
     * does not name, but whose artifactType the referrers index carries. A registry without that API (404) has
     * none to show.
     */
    private ScanFacts withSbom(String repository, Digest digest, ScanFacts facts, boolean sbom) throws RegistryException {
        if (!sbom || facts.sbomAttached()) {
            return facts;
        }
        Optional<JsonNode> referrers = oci.referrers(repository, digest);
        for (JsonNode descriptor : referrers.map(index -> index.path("manifests")).orElse(MissingNode.getInstance())) {
            if (MediaTypes.isSbom(Json.text(descriptor, "artifactType"))) {
                return new ScanFacts(facts.scan(), true);
            }
        }
        return facts;
    }

    /**
     * Everything about a tag in one request: Harbor's artifact by tag carries the digest the tag points to,
     * the manifest's media type, the image config's {@code created} ({@code extra_attrs}) and the scan
     * overview. Empty when that answer is not enough — 404 (no such tag, or a Harbor that does not take
     * tags there), an image index, no {@code created} — and the caller then resolves the tag with the
     * distribution API. Any other failure is a failure (fail closed).
     */
    Optional<DigestFacts> findTagged(String repository, String tag, boolean sbom) throws RegistryException {
        if (repository.indexOf('/') < 0) {
            throw http.failure(repository, 0, "a Harbor repository must be project/name");
        }
        String what = "artifact " + tag;
        RegistryHttp.Response response = artifact(repository, tag, sbom, what);
        if (response.status() == 404) {
            return Optional.empty();
        }
        JsonNode artifact = parse(repository, response, what);
        String mediaType = Json.text(artifact, "manifest_media_type");
        String created = Json.text(artifact.path("extra_attrs"), "created");
        if (!MediaTypes.OCI_MANIFEST.equals(mediaType) && !MediaTypes.DOCKER_MANIFEST.equals(mediaType) || created == null) {
            return Optional.empty();
        }
        Digest digest;
        Instant createdAt;
        try {
            digest = Digest.of(String.valueOf(Json.text(artifact, "digest")));
            createdAt = Json.time(created);
        } catch (InvalidImageReferenceException | DateTimeException e) {
            throw http.failure(repository, 200, what + ": Harbor answered an invalid digest or created time");
        }
        ScanFacts scan = withSbom(repository, digest, facts(repository, artifact, digest), sbom);
        return Optional.of(new DigestFacts(digest, mediaType, List.of(new PlatformImage(null, digest, createdAt)),
                scan.scan(), scan.sbomAttached()));
    }

    /** The scan facts in an artifact's answer (and its vulnerabilities addition where findings are counted). */
    private ScanFacts facts(String repository, JsonNode artifact, Digest digest) throws RegistryException {
        String base = artifactPath(repository, digest);
        String what = "artifact " + digest.shortForm();
        boolean sbom = sbomAttached(artifact);
        JsonNode overview = artifact.path("scan_overview");
        if (!overview.isObject() || overview.isEmpty()) {
            return new ScanFacts(Optional.empty(), sbom);
        }
        Map.Entry<String, JsonNode> chosen = choose(overview);
        JsonNode report = chosen.getValue();
        String status = Optional.ofNullable(Json.text(report, "scan_status")).orElse("Unknown");
        Instant finished;
        try {
            finished = Json.time(Json.text(report, "end_time"));
        } catch (DateTimeException e) {
            throw http.failure(repository, 200, what + " has an invalid scan end_time");
        }
        Map<Severity, Integer> summary = ReportRecognizer.zeroSummary();
        JsonNode counts = report.path("summary").path("summary");
        counts.fields().forEachRemaining(e -> {
            if (!e.getKey().equalsIgnoreCase("None")) {
                summary.merge(Severity.fromScanner(e.getKey()), e.getValue().asInt(0), Integer::sum);
            }
        });
        List<Finding> findings = null;
        boolean succeeded = ScanReport.SUCCESS.equalsIgnoreCase(status);
        boolean anyFinding = summary.values().stream().anyMatch(n -> n > 0) || report.path("summary").path("total").asInt(0) > 0;
        if (succeeded && (anyFinding || !report.path("summary").isObject())) {
            findings = vulnerabilities(repository, base, chosen.getKey(), digest);
            if (!report.path("summary").isObject()) {
                summary.putAll(ReportRecognizer.summarise(findings));
            }
        } else if (succeeded) {
            findings = List.of();
        }
        return new ScanFacts(Optional.of(new ScanReport("harbor", status, finished, summary, findings)), sbom);
    }

    private List<Finding> vulnerabilities(String repository, String base, String mimeType, Digest digest)
            throws RegistryException {
        String what = "the vulnerabilities of artifact " + digest.shortForm();
        JsonNode additions = get(repository, base + "/additions/vulnerabilities", VULNERABILITIES_MAX_BYTES, what);
        JsonNode report = additions.has(mimeType) ? additions.get(mimeType) : first(additions);
        if (report == null || !report.path("vulnerabilities").isArray()) {
            throw http.failure(repository, 200, what + " holds no vulnerability list");
        }
        List<Finding> findings = new ArrayList<>();
        for (JsonNode v : report.path("vulnerabilities")) {
            findings.add(new Finding(Json.text(v, "id"), Json.text(v, "package"), Json.text(v, "version"),
                    Json.text(v, "fix_version"), Severity.fromScanner(Json.text(v, "severity"))));
        }
        return findings;
    }

    /** Harbor's native report type first, then any report that succeeded, then whatever there is. */
    private static Map.Entry<String, JsonNode> choose(JsonNode overview) {
        if (overview.has(NATIVE_REPORT)) {
            return Map.entry(NATIVE_REPORT, overview.get(NATIVE_REPORT));
        }
        Map.Entry<String, JsonNode> any = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = overview.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (ScanReport.SUCCESS.equalsIgnoreCase(Json.text(e.getValue(), "scan_status"))) {
                return e;
            }
            any = any == null ? e : any;
        }
        return any;
    }

    private static JsonNode first(JsonNode object) {
        Iterator<JsonNode> it = object.elements();
        return it.hasNext() ? it.next() : null;
    }

    /**
     * Harbor 2.11+ describes an SBOM it generated in {@code sbom_overview} ({@code with_sbom_overview=true}),
     * and lists accessories ({@code with_accessory=true}; an SBOM Harbor generated is of type
     * {@code harbor.sbom}); both are asked for only where an SBOM is required.
     */
    private static boolean sbomAttached(JsonNode artifact) {
        JsonNode sbom = artifact.path("sbom_overview");
        String sbomDigest = Json.text(sbom, "sbom_digest");
        if (sbomDigest != null && !sbomDigest.isBlank()
                && ScanReport.SUCCESS.equalsIgnoreCase(Json.text(sbom, "scan_status"))) {
            return true;
        }
        for (JsonNode accessory : artifact.path("accessories")) {
            String type = Json.text(accessory, "type");
            if (type != null && type.toLowerCase(Locale.ROOT).contains("sbom")) {
                return true;
            }
        }
        return false;
    }

    private JsonNode get(String repository, String path, long max, String what) throws RegistryException {
        RegistryHttp.Response response = request(repository, path, max, what);
        if (response.status() == 404) {
            throw http.failure(repository, 404, "Harbor does not know " + what + " (404)");
        }
        return parse(repository, response, what);
    }

    private RegistryHttp.Response request(String repository, String path, long max, String what) throws RegistryException {
        return http.send(new RegistryHttp.Request("GET", http.uri(path),
                Map.of("Accept", "application/json", "X-Accept-Vulnerabilities", ACCEPT_VULNERABILITIES), max,
                repository, what, RegistryHttp.Auth.BASIC));
    }

    private JsonNode parse(String repository, RegistryHttp.Response response, String what) throws RegistryException {
        if (response.status() != 200) {
            throw http.failure(repository, response.status(), "Harbor answered " + response.status() + " for " + what);
        }
        return Json.parse(response.body(), () -> http.failure(repository, 200, "Harbor answered malformed JSON for " + what));
    }
}
