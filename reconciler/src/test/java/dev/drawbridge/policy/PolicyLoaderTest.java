package dev.drawbridge.policy;

import dev.drawbridge.image.ImageReference;
import dev.drawbridge.image.Severity;
import dev.drawbridge.yaml.YamlValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyLoaderTest {

    private final PolicyLoader loader = new PolicyLoader();

    private GatePolicy fixture(String name) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/policy/" + name)) {
            return loader.load("policies/" + name, in.readAllBytes());
        }
    }

    private GatePolicy load(String yaml) throws YamlValidationException {
        return loader.load("policies/production.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsAStrictProductionPolicyWithExceptions() throws Exception {
        GatePolicy policy = fixture("production.yaml");

        assertThat(policy.name()).isEqualTo("production");
        assertThat(policy.source()).isEqualTo("policies/production.yaml");
        assertThat(policy.mode()).isEqualTo(GatePolicy.Mode.ENFORCE);
        assertThat(policy.allowedRegistries()).extracting(RegistryGlob::pattern).containsExactly("harbor.example.com/prod/**");
        assertThat(policy.image()).isEqualTo(new ImageRules(true, Duration.ofDays(90)));
        assertThat(policy.scan()).isEqualTo(new ScanRules(true, Duration.ofDays(7),
                Set.of(Severity.CRITICAL, Severity.HIGH), Set.of(Severity.CRITICAL)));
        assertThat(policy.sbomRequired()).isTrue();
        assertThat(policy.requireNetworkPolicy()).isTrue();
        assertThat(policy.exceptions()).containsExactly(
                new VulnerabilityException("EXC-42", "CVE-2026-1234",
                        List.of(ImageReference.parse("harbor.example.com/prod/shop/api")),
                        "not reachable from the network; vendor fix due in January", "team-shop",
                        LocalDate.of(2027, 1, 31)),
                new VulnerabilityException("EXC-43", "GHSA-abcd-1234-wxyz", List.of(),
                        "base image library, no exposure", "platform", LocalDate.of(2026, 12, 31)));
    }

    @Test
    void readsAnAcceptancePolicyWithDefaults() throws Exception {
        GatePolicy policy = fixture("acceptance.yaml");

        assertThat(policy.mode()).isEqualTo(GatePolicy.Mode.ENFORCE);
        assertThat(policy.image()).isEqualTo(new ImageRules(false, Duration.ofDays(180)));
        assertThat(policy.scan()).isEqualTo(new ScanRules(true, Duration.ofDays(14),
                Set.of(Severity.CRITICAL), Set.of(Severity.CRITICAL)));
        assertThat(policy.sbomRequired()).isFalse();
        assertThat(policy.requireNetworkPolicy()).isFalse();
        assertThat(policy.exceptions()).isEmpty();
    }

    @Test
    void readsADevPolicyInWarnMode() throws Exception {
        GatePolicy policy = fixture("dev.yaml");

        assertThat(policy.mode()).isEqualTo(GatePolicy.Mode.WARN);
        assertThat(policy.allowedRegistries()).hasSize(3);
        assertThat(policy.allowedRegistries().get(2).matches(ImageReference.parse("nginx:1.27"))).isTrue();
        assertThat(policy.scan()).isEqualTo(new ScanRules(false, null,
                Set.of(Severity.CRITICAL, Severity.HIGH), Set.of(Severity.CRITICAL, Severity.HIGH)));
        assertThat(policy.image()).isEqualTo(new ImageRules(false, null));
    }

    @Test
    void allowsAnExplicitlyEmptyRegistryListThatAllowsNothing() throws Exception {
        GatePolicy policy = load("""
                apiVersion: drawbridge.dev/v1alpha1
                kind: GatePolicy
                metadata: {name: locked}
                spec:
                  registries: {allow: []}
                """);
        assertThat(policy.allowedRegistries()).isEmpty();
        assertThat(policy.mode()).isEqualTo(GatePolicy.Mode.ENFORCE);
    }

    @Test
    void loadsAPolicyFromAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("acceptance.yaml");
        try (InputStream in = getClass().getResourceAsStream("/policy/acceptance.yaml")) {
            Files.write(file, in.readAllBytes());
        }
        assertThat(loader.load(file, "policies/acceptance.yaml").name()).isEqualTo("acceptance");
    }
}
