package dev.drawbridge.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drawbridge.image.Digest;
import dev.drawbridge.image.ImageReference;
import dev.drawbridge.image.ImageUse;
import dev.drawbridge.image.Severity;
import dev.drawbridge.policy.GatePolicy;
import dev.drawbridge.policy.ImageRules;
import dev.drawbridge.policy.RegistryGlob;
import dev.drawbridge.policy.ScanRules;
import dev.drawbridge.policy.VulnerabilityException;
import dev.drawbridge.registry.Finding;
import dev.drawbridge.registry.ImageFacts;
import dev.drawbridge.registry.LookupOptions;
import dev.drawbridge.registry.LookupResult;
import dev.drawbridge.registry.PlatformImage;
import dev.drawbridge.registry.RegistryException;
import dev.drawbridge.registry.ScanReport;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules of docs/policies.md, each blocking when it should and passing when it should. */
class GateTest {

    static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final Digest DIGEST = Digest.of("sha256:" + "a".repeat(64));

    /** Registry facts per image name; an image missing here fails its lookup. */
    final Map<String, LookupResult> registry = new HashMap<>();
    final List<ImageReference> lookedUp = new ArrayList<>();

    Gate gate() {
        return new Gate((images, options) -> {
            Map<ImageReference, LookupResult> out = new LinkedHashMap<>();
            for (ImageReference i : images) {
                lookedUp.add(i);
                out.put(i, registry.getOrDefault(i.name(), new LookupResult.Failed(
                        new RegistryException(i.host(), i.repository(), 0, "could not verify " + i + ": connection refused"))));
            }
            return out;
        }, CLOCK);
    }

    static GatePolicy policy(GatePolicy.Mode mode, List<String> allow, ImageRules image, ScanRules scan,
                             List<VulnerabilityException> exceptions) {
        return new GatePolicy("production", "policies/production.yaml", mode,
                allow.stream().map(RegistryGlob::of).toList(), image, scan, false, false, exceptions);
    }

    static GatePolicy strict() {
        return policy(GatePolicy.Mode.ENFORCE, List.of("harbor.example.com/prod/**"),
                new ImageRules(false, Duration.ofDays(90)),
                new ScanRules(true, Duration.ofDays(7), Set.of(Severity.CRITICAL, Severity.HIGH), Set.of(Severity.CRITICAL)),
                List.of());
    }

    static ScanReport scan(Instant finished, Finding... findings) {
        Map<Severity, Integer> summary = new HashMap<>();
        for (Finding f : findings) {
            summary.merge(f.severity(), 1, Integer::sum);
        }
        return new ScanReport("harbor", "Success", finished, summary, List.of(findings));
    }

    void image(String name, Instant created, ScanReport scan) {
        ImageReference ref = ImageReference.parse(name);
        registry.put(ref.name(), new LookupResult.Found(new ImageFacts(ref, DIGEST, "application/vnd.oci.image.manifest.v1+json",
                List.of(new PlatformImage(null, DIGEST, created)), Optional.ofNullable(scan), false)));
    }

    GateResult check(GatePolicy policy, String... references) {
        return check(policy, List.of(), references);
    }

    GateResult check(GatePolicy policy, List<JsonNode> objects, String... references) {
        List<ImageUse> uses = new ArrayList<>();
        for (String r : references) {
            uses.add(new ImageUse(r, ImageReference.parse(r), List.of("apps/v1/Deployment/shop/api")));
        }
        return gate().evaluate(uses, objects, policy, LookupOptions.ALL_PLATFORMS, List.of());
    }

    static Finding finding(String id, Severity severity, String fixed) {
        return new Finding(id, "openssl", "3.0.13", fixed, severity);
    }

    @Test
    void passesAFreshCleanImageFromAnAllowedRegistry() {
        image("harbor.example.com/prod/shop/api", NOW.minus(Duration.ofDays(3)), scan(NOW.minusSeconds(3600)));
        GateResult result = check(strict(), "harbor.example.com/prod/shop/api:1.4.2");
        assertThat(result.decision()).isEqualTo(Decision.PASS);
        assertThat(result.images().get(0).digest()).isEqualTo(DIGEST);
        assertThat(result.images().get(0).violations()).isEmpty();
    }

    @Test
    void blocksImageWithCriticalVulnerabilityThatHasAFix() {
        image("harbor.example.com/prod/shop/api", NOW, scan(NOW, finding("CVE-2026-1234", Severity.CRITICAL, "3.0.15")));
        GateResult result = check(strict(), "harbor.example.com/prod/shop/api:1.4.2");
        assertThat(result.decision()).isEqualTo(Decision.BLOCK);
        Violation v = result.images().get(0).violations().get(0);
        assertThat(v.rule()).isEqualTo(Rules.SCAN_SEVERITY);
        assertThat(v.id()).isEqualTo("CVE-2026-1234");
        assertThat(v.fixedIn()).isEqualTo("3.0.15");
        assertThat(v.message()).contains("fixed in 3.0.15");
        assertThat(v.fix()).contains("3.0.15");
    }

    @Test
    void unfixedHighDoesNotBlockWhenOnlyUnfixedCriticalIsListed() {
        image("harbor.example.com/prod/shop/api", NOW, scan(NOW, finding("CVE-2026-9", Severity.HIGH, null),
                finding("CVE-2026-10", Severity.MEDIUM, "1.0")));
        assertThat(check(strict(), "harbor.example.com/prod/shop/api:1.4.2").decision()).isEqualTo(Decision.PASS);
    }

    @Test
    void unfixedCriticalBlocks() {
        image("harbor.example.com/prod/shop/api", NOW, scan(NOW, finding("CVE-2026-11", Severity.CRITICAL, "")));
        GateResult result = check(strict(), "harbor.example.com/prod/shop/api:1.4.2");
        assertThat(result.decision()).isEqualTo(Decision.BLOCK);
        assertThat(result.images().get(0).violations().get(0).message()).contains("no fix yet");
    }

    @Test
    void blocksLookAlikeHostsAndPathsWithoutContactingThem() {
        for (String ref : List.of("harbor.example.com.evil.io/prod/x:1", "harbor.example.com/production/x:1",
                "evil.io/harbor.example.com/prod/x:1", "nginx", "docker.io/library/nginx:1.27")) {
            GateResult result = check(strict(), ref);
            assertThat(result.decision()).as(ref).isEqualTo(Decision.BLOCK);
            assertThat(result.images().get(0).violations()).extracting(Violation::rule).containsExactly(Rules.REGISTRY_ALLOWED);
        }
        assertThat(lookedUp).isEmpty();
    }

    @Test
    void dockerHubIsNotImpliedByAShortName() {
        GatePolicy policy = policy(GatePolicy.Mode.ENFORCE, List.of("docker.io/library/**"), new ImageRules(false, null),
                new ScanRules(false, null, Set.of(), Set.of()), List.of());
        image("docker.io/library/nginx", NOW, null);
        assertThat(check(policy, "nginx").decision()).isEqualTo(Decision.PASS);
        assertThat(check(policy, "bitnami/nginx:1").decision()).isEqualTo(Decision.BLOCK);
    }

    @Test
    void blocksATagWhenTheManifestMustPinADigest() {
        GatePolicy policy = policy(GatePolicy.Mode.ENFORCE, List.of("harbor.example.com/prod/**"), new ImageRules(true, null),
                new ScanRules(true, null, Set.of(Severity.CRITICAL), Set.of(Severity.CRITICAL)), List.of());
        image("harbor.example.com/prod/shop/api", NOW, scan(NOW));
        GateResult tagged = check(policy, "harbor.example.com/prod/shop/api:1.4.2");
        assertThat(tagged.decision()).isEqualTo(Decision.BLOCK);
        assertThat(tagged.images().get(0).violations().get(0).rule()).isEqualTo(Rules.IMAGE_DIGEST);
        assertThat(tagged.images().get(0).violations().get(0).fix()).contains("@" + DIGEST);
        assertThat(check(policy, "harbor.example.com/prod/shop/api@" + DIGEST).decision()).isEqualTo(Decision.PASS);
    }

    @Test
    void blocksAnImageWithNoScanAndAScanThatHasNotFinished() {
        image("harbor.example.com/prod/shop/api", NOW, null);
        GateResult none = check(strict(), "harbor.example.com/prod/shop/api:1.4.2");
        assertThat(none.decision()).isEqualTo(Decision.BLOCK);
        assertThat(none.images().get(0).violations().get(0).rule()).isEqualTo(Rules.SCAN_PRESENT);

        for (String status : List.of("Pending", "Running", "Error")) {
            image("harbor.example.com/prod/shop/api", NOW, new ScanReport("harbor", status, null, Map.of(), null));
            GateResult result = check(strict(), "harbor.example.com/prod/shop/api:1.4.2");
            assertThat(result.decision()).as(status).isEqualTo(Decision.BLOCK);
            assertThat(result.images().get(0).violations().get(0).message()).contains(status);
        }
    }

    @Test
    void blocksAStaleScan() {
        image("harbor.example.com/prod/shop/api", NOW, scan(NOW.minus(Duration.ofDays(8))));
        GateResult result = check(strict(), "harbor.example.com/prod/shop/api:1.4.2");
        assertThat(result.decision()).isEqualTo(Decision.BLOCK);
        assertThat(result.images().get(0).violations().get(0).rule()).isEqualTo(Rules.SCAN_FRESH);
        image("harbor.example.com/prod/shop/api", NOW, scan(NOW.minus(Duration.ofDays(6))));
        assertThat(check(strict(), "harbor.example.com/prod/shop/api:1.4.2").decision()).isEqualTo(Decision.PASS);
    }

    @Test
    void blocksAnImageOlderThanTheMaximumAge() {
        image("harbor.example.com/prod/shop/api", NOW.minus(Duration.ofDays(91)), scan(NOW));
        GateResult result = check(strict(), "harbor.example.com/prod/shop/api:1.4.2");
        assertThat(result.decision()).isEqualTo(Decision.BLOCK);
        assertThat(result.images().get(0).violations().get(0).rule()).isEqualTo(Rules.IMAGE_AGE);
        assertThat(result.images().get(0).violations().get(0).message()).contains("91 days ago", "90d");
    }

    @Test
    void anExceptionAcceptsAFindingUntilItExpiresAndIsThenNamed() {
        var exc = new VulnerabilityException("EXC-42", "CVE-2026-1234",
                List.of(ImageReference.parse("harbor.example.com/prod/shop/api")), "not reachable", "team-shop",
                LocalDate.of(2027, 1, 31));
        GatePolicy withException = policy(GatePolicy.Mode.ENFORCE, List.of("harbor.example.com/prod/**"),
                new ImageRules(false, null), strict().scan(), List.of(exc));
        image("harbor.example.com/prod/shop/api", NOW, scan(NOW, finding("CVE-2026-1234", Severity.CRITICAL, "3.0.15")));
        GateResult accepted = check(withException, "harbor.example.com/prod/shop/api:1.4.2");
        assertThat(accepted.decision()).isEqualTo(Decision.PASS);
        assertThat(accepted.images().get(0).accepted()).singleElement().asString().contains("EXC-42", "team-shop");

        var expired = new VulnerabilityException("EXC-17", "CVE-2026-1234", List.of(), "old", "team-shop",
                LocalDate.of(2026, 10, 1));
        GatePolicy withExpired = policy(GatePolicy.Mode.ENFORCE, List.of("harbor.example.com/prod/**"),
                new ImageRules(false, null), strict().scan(), List.of(expired));
        GateResult result = check(withExpired, "harbor.example.com/prod/shop/api:1.4.2");
        assertThat(result.decision()).isEqualTo(Decision.BLOCK);
        Violation v = result.images().get(0).violations().get(0);
        assertThat(v.rule()).isEqualTo(Rules.EXCEPTION_EXPIRED);
        assertThat(v.message()).contains("EXC-17", "expired on 2026-10-01");
    }

    @Test
    void anExceptionForAnotherImageDoesNotApply() {
        var exc = new VulnerabilityException("EXC-42", "CVE-2026-1234",
                List.of(ImageReference.parse("harbor.example.com/prod/shop/web")), "r", "team-shop", LocalDate.of(2027, 1, 31));
        GatePolicy policy = policy(GatePolicy.Mode.ENFORCE, List.of("harbor.example.com/prod/**"),
                new ImageRules(false, null), strict().scan(), List.of(exc));
        image("harbor.example.com/prod/shop/api", NOW, scan(NOW, finding("CVE-2026-1234", Severity.CRITICAL, "3.0.15")));
        assertThat(check(policy, "harbor.example.com/prod/shop/api:1.4.2").decision()).isEqualTo(Decision.BLOCK);
    }

    @Test
    void warnModeWarnsAndStillPasses() {
        GatePolicy warn = policy(GatePolicy.Mode.WARN, List.of("harbor.example.com/dev/**"), new ImageRules(false, null),
                strict().scan(), List.of());
        image("harbor.example.com/dev/shop/api", NOW, scan(NOW, finding("CVE-2026-1234", Severity.CRITICAL, "3.0.15")));
        image("docker.io/library/redis", NOW, scan(NOW));
        GateResult result = check(warn, "harbor.example.com/dev/shop/api:1.4.2", "redis:7.2");
        assertThat(result.decision()).isEqualTo(Decision.PASS);
        assertThat(result.images()).extracting(ImageVerdict::verdict).containsExactly(Verdict.WARN, Verdict.WARN);
    }

    @Test
    void couldNotVerifyIsAnErrorEvenInWarnMode() {
        GatePolicy warn = policy(GatePolicy.Mode.WARN, List.of("harbor.example.com/dev/**"), new ImageRules(false, null),
                strict().scan(), List.of());
        GateResult result = check(warn, "harbor.example.com/dev/shop/api:1.4.2");
        assertThat(result.decision()).isEqualTo(Decision.ERROR);
        assertThat(result.images().get(0).verdict()).isEqualTo(Verdict.ERROR);
        assertThat(result.images().get(0).violations().get(0).message()).startsWith("could not verify");
    }

    @Test
    void anErrorOutranksABlock() {
        image("harbor.example.com/prod/shop/api", NOW, scan(NOW, finding("CVE-1", Severity.CRITICAL, "1")));
        GateResult result = check(strict(), "harbor.example.com/prod/shop/api:1.4.2", "harbor.example.com/prod/shop/down:1");
        assertThat(result.decision()).isEqualTo(Decision.ERROR);
    }

    @Test
    void summaryWithoutDetailsFailsClosed() {
        image("harbor.example.com/prod/shop/api", NOW,
                new ScanReport("harbor", "Success", NOW, Map.of(Severity.HIGH, 2), null));
        GateResult result = check(strict(), "harbor.example.com/prod/shop/api:1.4.2");
        assertThat(result.decision()).isEqualTo(Decision.BLOCK);
        assertThat(result.images().get(0).violations().get(0).message()).contains("2 HIGH");
    }

    @Test
    void requiresANetworkPolicyInEveryNamespaceDeployedTo() throws Exception {
        ObjectMapper m = new ObjectMapper();
        GatePolicy base = strict();
        GatePolicy policy = new GatePolicy(base.name(), base.source(), base.mode(), base.allowedRegistries(), base.image(),
                base.scan(), false, true, List.of());
        List<JsonNode> objects = List.of(
                m.readTree("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"shop\"}}"),
                m.readTree("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"a\",\"namespace\":\"payments\"}}"),
                m.readTree("{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"NetworkPolicy\",\"metadata\":{\"name\":\"deny\",\"namespace\":\"shop\"}}"));
        GateResult result = check(policy, objects);
        assertThat(result.decision()).isEqualTo(Decision.BLOCK);
        assertThat(result.manifestViolations()).extracting(Violation::message)
                .containsExactly("namespace payments gets no NetworkPolicy from Git");
    }

    @Test
    void inspectErrorsMakeTheDecisionAnError() {
        GateResult result = gate().evaluate(List.of(), List.of(), strict(), LookupOptions.ALL_PLATFORMS,
                List.of("apps/v1/Deployment/shop/api: invalid image reference \"Nginx\""));
        assertThat(result.decision()).isEqualTo(Decision.ERROR);
    }
}
