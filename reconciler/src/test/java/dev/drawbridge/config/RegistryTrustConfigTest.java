package dev.drawbridge.config;

import dev.drawbridge.registry.RegistrySettings;
import dev.drawbridge.registry.testing.Attestations;
import dev.drawbridge.registry.testing.TestCertificates;
import dev.drawbridge.yaml.YamlProblem;
import dev.drawbridge.yaml.YamlValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code registries[].signed-by}, {@code ca-file} and {@code insecure}: loaded and checked at start. */
class RegistryTrustConfigTest {
    private static final String HEAD = """
            git: {url: "https://git.example.com/deploy.git"}
            environments: [{name: dev, branch: env/dev, path: overlays/dev}]
            registries:
            """;

    @TempDir
    Path dir;

    private DrawbridgeConfig load(String registries) throws YamlValidationException {
        return new ConfigLoader().load("drawbridge.yaml", (HEAD + registries).getBytes(StandardCharsets.UTF_8), dir);
    }

    private List<String> problems(String registries) {
        YamlValidationException e = catchThrowableOfType(YamlValidationException.class, () -> load(registries));
        assertThat(e).as("expected the configuration to be refused").isNotNull();
        return e.problems().stream().map(YamlProblem::toString).toList();
    }

    private void write(String name, String content) throws Exception {
        Files.writeString(dir.resolve(name), content);
    }

    @Test
    void loadsSignedByKeysAndACaFileRelativeToTheConfiguration() throws Exception {
        write("ec.pub", Attestations.publicPem(Attestations.ecP256()));
        write("ed.pub", Attestations.publicPem(Attestations.ed25519()));
        write("ca.pem", TestCertificates.authority("Registry CA").pem());

        DrawbridgeConfig config = load("""
                  - host: registry.example.com
                    type: oci
                    signed-by: [ec.pub, ed.pub]
                    ca-file: ca.pem
                """);

        RegistrySettings settings = config.registrySettings().get(0);
        assertThat(settings.signedBy()).extracting(k -> k.name() + " " + k.algorithm())
                .containsExactly(dir.resolve("ec.pub") + " ECDSA P-256", dir.resolve("ed.pub") + " Ed25519");
        assertThat(settings.caCertificates()).singleElement()
                .satisfies(c -> assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=Registry CA"));
        assertThat(settings.url()).hasToString("https://registry.example.com");
    }

    @Test
    void refusesKeyFilesThatAreNoPublicKeysNamingTheKeyAndTheFile() throws Exception {
        KeyPair pair = Attestations.ecP256();
        write("cosign.key", Attestations.privatePem(pair));
        TestCertificates ca = TestCertificates.authority("CA");
        write("chain.pem", ca.serverPem("scanner.example.com") + ca.pem());
        write("garbage.pub", "this is not a key\n");

        List<String> problems = problems("""
                  - host: registry.example.com
                    type: oci
                    signed-by: [cosign.key, chain.pem, garbage.pub, missing.pub]
                """);

        assertThat(problems).containsExactly(
                "drawbridge.yaml:6: registries[0].signed-by[0]: " + dir.resolve("cosign.key") + ": holds a private key; give "
                        + "the public key only (a PEM \"PUBLIC KEY\", e.g. cosign.pub or the output of openssl pkey -pubout), "
                        + "and keep the private key secret",
                "drawbridge.yaml:6: registries[0].signed-by[1]: " + dir.resolve("chain.pem") + ": holds a certificate chain, "
                        + "not a public key; give the signer's public key (a PEM \"PUBLIC KEY\", e.g. openssl x509 -pubkey -noout)",
                "drawbridge.yaml:6: registries[0].signed-by[2]: " + dir.resolve("garbage.pub") + ": is not a PEM file "
                        + "(expected -----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----)",
                "drawbridge.yaml:6: registries[0].signed-by[3]: " + dir.resolve("missing.pub") + ": does not exist");
        String privateMaterial = java.util.Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()).substring(8, 40);
        assertThat(String.join("\n", problems)).doesNotContain(privateMaterial);
    }

    @Test
    void refusesSignedByOnHarborAndAnEmptyList() throws Exception {
        write("ec.pub", Attestations.publicPem(Attestations.ecP256()));

        assertThat(problems("""
                  - {host: harbor.example.com, type: harbor, signed-by: [ec.pub]}
                  - {host: registry.example.com, type: oci, signed-by: []}
                """)).containsExactly(
                "drawbridge.yaml:4: registries[0].signed-by: is for oci registries only (Harbor's own scan is read from "
                        + "its API and needs no signature)",
                "drawbridge.yaml:5: registries[1].signed-by: must name at least one public key file (leave signed-by "
                        + "out to read reports unsigned)");
    }

    @Test
    void refusesInsecureAnywhereButPlainHttpOnLoopback() {
        assertThat(problems("""
                  - {host: registry.example.com, type: oci, url: "http://registry.example.com", insecure: true}
                  - {host: harbor.example.com, type: harbor, insecure: true}
                  - {host: "127.0.0.1:5000", type: oci, url: "https://127.0.0.1:5000", insecure: true}
                  - {host: "10.0.0.7:5000", type: oci, url: "http://10.0.0.7:5000"}
                """)).containsExactly(
                "drawbridge.yaml:4: registries[0].insecure: is allowed only for a loopback registry (127.0.0.0/8, ::1 or "
                        + "localhost), not registry.example.com; use https (with ca-file for a registry with its own "
                        + "certificate authority)",
                "drawbridge.yaml:5: registries[1].insecure: allows plain http only, and the url is https; certificates "
                        + "are never skipped (for a registry with its own certificate authority, use ca-file)",
                "drawbridge.yaml:6: registries[2].insecure: allows plain http only, and the url is https; certificates "
                        + "are never skipped (for a registry with its own certificate authority, use ca-file)",
                "drawbridge.yaml:7: registries[3].url: plain http is not allowed for 10.0.0.7 (only for a loopback "
                        + "registry with insecure: true); use https");
    }

    @Test
    void acceptsInsecureForPlainHttpOnEveryLoopbackSpelling() throws Exception {
        DrawbridgeConfig config = load("""
                  - {host: "127.0.0.1:5000", type: oci, url: "http://127.0.0.1:5000", insecure: true}
                  - {host: "localhost:5001", type: oci, url: "http://localhost:5001", insecure: true}
                  - {host: "ip6:5002", type: oci, url: "http://[::1]:5002", insecure: true}
                """);

        assertThat(config.registries()).allMatch(RegistryConfig::insecure);
    }

    @Test
    void refusesACaFileThatIsMissingGarbageOrUsedWithPlainHttp() throws Exception {
        write("garbage.pem", "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n");
        write("ca.pem", TestCertificates.authority("CA").pem());

        assertThat(problems("""
                  - {host: a.example.com, type: oci, ca-file: missing.pem}
                  - {host: b.example.com, type: oci, ca-file: garbage.pem}
                  - {host: "127.0.0.1:5000", type: oci, url: "http://127.0.0.1:5000", insecure: true, ca-file: ca.pem}
                """)).containsExactly(
                "drawbridge.yaml:4: registries[0].ca-file: " + dir.resolve("missing.pem") + ": does not exist",
                "drawbridge.yaml:5: registries[1].ca-file: " + dir.resolve("garbage.pem")
                        + ": holds a \"CERTIFICATE\" that is not a valid X.509 certificate",
                "drawbridge.yaml:6: registries[2].ca-file: is used only with an https url, not http://127.0.0.1:5000");
    }
}
