package dev.drawbridge.cli;

import com.github.tomakehurst.wiremock.client.WireMock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.drawbridge.registry.testing.Attestations;
import dev.drawbridge.registry.testing.TestCertificates;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input of every kind, through {@code drawbridge check} end to end: each gives exit 2 and one clear
 * error naming the file (and line) and the problem; none is ever a pass.
 */
class BadInputsTest {

    @TempDir
    Path dir;

    interface Setup {
        String[] apply(CheckFixture f) throws Exception;
    }

    record Case(String name, Setup setup, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static String[] defaults(CheckFixture f) throws Exception {
        return new String[]{"--config", f.config().toString(), "--env", "production"};
    }

    static Case manifest(String name, String file, String content, String expected) {
        return new Case(name, f -> {
            f.onBranch(file, content);
            return defaults(f);
        }, expected);
    }

    static Case policy(String name, String content, String expected) {
        return new Case(name, f -> {
            f.onMain("policies/production.yaml", content);
            return defaults(f);
        }, expected);
    }

    static Case config(String name, String content, String expected) {
        return new Case(name, f -> new String[]{"--config", f.config(content.replace("GIT", f.repo.url())
                .replace("REGISTRY", f.registry.url())).toString(), "--env", "production"}, expected);
    }

    /**
     * A configuration whose second registry is {@code registryYaml} (a flow mapping), with {@code files} written
     * next to it first (key and CA files, relative to the configuration).
     */
    static Case trust(String name, Map<String, Function<CheckFixture, String>> files, String registryYaml, String expected) {
        return new Case(name, f -> {
            for (Map.Entry<String, Function<CheckFixture, String>> file : files.entrySet()) {
                Files.writeString(f.dir.resolve(file.getKey()), file.getValue().apply(f));
            }
            String config = Files.readString(f.config()).replace("environments:", "  - " + registryYaml + "\nenvironments:");
            return new String[]{"--config", f.config(config).toString(), "--env", "production"};
        }, expected);
    }

    static Case registry(String name, int status, String body, String expected) {
        return new Case(name, f -> {
            f.registry.wireMock().stubFor(WireMock.any(urlPathMatching("/api/v2.0/.*")).atPriority(1)
                    .willReturn(aResponse().withStatus(status).withBody(body)));
            return defaults(f);
        }, expected);
    }

    static String withoutImage() {
        String withImage = deployment(CheckFixture.IMAGE);
        String without = withImage.replace("      image: \"" + CheckFixture.IMAGE + "\"\n", "");
        if (without.equals(withImage)) {
            throw new IllegalStateException("the fixture's image line changed; update this case");
        }
        return without;
    }

    static String deployment(String image) {
        return CheckFixture.DEPLOYMENT.formatted(image);
    }

    static final String GOOD_CONFIG_TAIL = """
            registries:
              - host: harbor.example.com
                type: harbor
                url: REGISTRY
                insecure: true
            environments:
              - name: production
                branch: env/production
                path: app
            """;

    static Stream<Case> cases() {
        String bomb = """
                a: &a ["x","x","x","x","x","x","x","x","x"]
                b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
                c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
                d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
                e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
                f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
                g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
                h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
                """;
        String policyHead = "apiVersion: drawbridge.dev/v1alpha1\nkind: GatePolicy\nmetadata: {name: production}\n";
        String exceptionBase = policyHead + "spec:\n  registries: {allow: [\"harbor.example.com/prod/**\"]}\n  exceptions:\n"
                + "    - id: EXC-9\n      vulnerability: CVE-2026-9\n";
        return Stream.of(
                // configuration
                config("config: malformed YAML", "git: {url: GIT\nenvironments: [", "drawbridge.yaml:"),
                config("config: unknown key", "git:\n  url: GIT\n  pol-interval: 1m\n" + GOOD_CONFIG_TAIL, "drawbridge.yaml:3: git.pol-interval"),
                config("config: duplicate key", "git:\n  url: GIT\ngit:\n  url: GIT\n" + GOOD_CONFIG_TAIL, "drawbridge.yaml:3"),
                config("config: missing git.url", "git: {}\n" + GOOD_CONFIG_TAIL, "git.url"),
                config("config: bad duration", "git:\n  url: GIT\n  poll-interval: 1 minute\n" + GOOD_CONFIG_TAIL, "drawbridge.yaml:3: git.poll-interval"),
                config("config: bad boolean", "git:\n  url: GIT\n" + GOOD_CONFIG_TAIL + "    prune: yes please\n", "environments[0].prune"),
                config("config: unknown registry type", "git:\n  url: GIT\n" + GOOD_CONFIG_TAIL.replace("type: harbor", "type: quay"), "registries[0].type"),
                new Case("config: unknown environment", f -> new String[]{"--config", f.config().toString(), "--env", "staging"},
                        "environment \"staging\" is not configured"),
                new Case("config: no environment name at all", f -> new String[]{"--config", f.config().toString(), "--env", "../Prod"},
                        "environment \"../Prod\" is not configured"),
                // policy
                policy("policy: malformed YAML", policyHead + "spec: {mode: enforce\n", "policies/production.yaml:"),
                policy("policy: duplicate key", policyHead + "spec:\n  mode: enforce\n  mode: warn\n  registries: {allow: []}\n", "policies/production.yaml:6"),
                policy("policy: YAML bomb", bomb, "policies/production.yaml"),
                policy("policy: unknown key", policyHead + "spec:\n  registries: {allow: []}\n  scan:\n    blockSeverity: [CRITICAL]\n", "spec.scan.blockSeverity"),
                policy("policy: bad duration", policyHead + "spec:\n  registries: {allow: []}\n  scan:\n    maxAge: 7 days\n", "spec.scan.maxAge"),
                policy("policy: bad severity", policyHead + "spec:\n  registries: {allow: []}\n  scan:\n    blockSeverities: [SEVERE]\n", "SEVERE"),
                policy("policy: wrong apiVersion", "apiVersion: drawbridge.dev/v2\nkind: GatePolicy\nmetadata: {name: p}\n"
                        + "spec: {registries: {allow: []}}\n", "policies/production.yaml:1: apiVersion"),
                policy("policy: exception without expiry", exceptionBase + "      reason: r\n      owner: team\n", "expires"),
                policy("policy: exception without owner", exceptionBase + "      reason: r\n      expires: 2027-01-01\n", "owner"),
                policy("policy: exception with a bad date", exceptionBase + "      reason: r\n      owner: t\n      expires: 2027-13-01\n", "2027-13-01"),
                new Case("policy: missing for the environment", f -> {
                    f.onMain("policies/production.yaml", "");
                    Files.delete(f.repo.dir().resolve("policies/production.yaml"));
                    f.repo.commitAll("remove the policy");
                    return defaults(f);
                }, "no policy for environment production"),
                // manifests
                manifest("manifest: malformed YAML", "app/deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: [\n", "deployment.yaml"),
                manifest("manifest: duplicate key", "app/deployment.yaml",
                        deployment(CheckFixture.IMAGE).replace("  name: api\n", "  name: api\n  name: web\n"), "already defined"),
                manifest("manifest: YAML bomb", "app/deployment.yaml", bomb, "render:"),
                manifest("manifest: remote base on github.com", "app/kustomization.yaml",
                        "resources:\n  - deployment.yaml\n  - github.com/acme/deploy//base?ref=v1\n",
                        "RENDER_REMOTE_REFUSED: app/kustomization.yaml:3: resources[1]: remote reference"),
                manifest("manifest: remote base over https", "app/kustomization.yaml",
                        "resources:\n  - https://example.com/deploy.yaml\n",
                        "RENDER_REMOTE_REFUSED: app/kustomization.yaml:2: resources[0]: remote reference"),
                manifest("manifest: git:: remote base", "app/kustomization.yaml",
                        "resources:\n  - git::https://example.com/deploy.git//base\n", "resources[0]: remote reference"),
                manifest("manifest: resource outside the checkout", "app/kustomization.yaml",
                        "resources:\n  - ../../../etc/deploy.yaml\n", "app/kustomization.yaml:2: resources[0]: path \"../../../etc/deploy.yaml\" leaves the checkout"),
                manifest("manifest: missing resource", "app/kustomization.yaml", "resources:\n  - missing.yaml\n", "missing.yaml"),
                manifest("manifest: uppercase image", "app/deployment.yaml", deployment("harbor.example.com/prod/Shop/API:1"), "apps/v1/Deployment/shop/api"),
                manifest("manifest: unexpanded variable", "app/deployment.yaml", deployment("${IMAGE}"), "${IMAGE}"),
                manifest("manifest: empty tag", "app/deployment.yaml", deployment("harbor.example.com/prod/shop/api:"), "invalid image reference"),
                manifest("manifest: container without image", "app/deployment.yaml",
                        withoutImage(), "apps/v1/Deployment/shop/api"),
                new Case("manifest: symlink escaping the checkout", f -> {
                    f.repo.checkout("env/production");
                    Files.delete(f.repo.dir().resolve("app/deployment.yaml"));
                    Files.createSymbolicLink(f.repo.dir().resolve("app/deployment.yaml"), Path.of("/etc/hostname"));
                    f.repo.commitAll("symlink");
                    f.repo.checkout("main");
                    return defaults(f);
                }, "deployment.yaml"),
                // registry trust: signed-by, insecure, ca-file (checked at start)
                trust("config: signed-by names a private key", Map.of("cosign.key", f -> Attestations.privatePem(Attestations.ecP256())),
                        "{host: \"127.0.0.1:5999\", type: oci, url: \"http://127.0.0.1:5999\", insecure: true, signed-by: [cosign.key]}",
                        "registries[1].signed-by[0]: " + "KEYDIR" + "cosign.key: holds a private key"),
                trust("config: signed-by names a certificate chain", Map.of("chain.pem", f -> {
                            TestCertificates ca = TestCertificates.authority("CA");
                            return ca.serverPem("scanner.example.com") + ca.pem();
                        }), "{host: registry.example.com, type: oci, signed-by: [chain.pem]}",
                        "chain.pem: holds a certificate chain, not a public key"),
                trust("config: signed-by names garbage", Map.of("garbage.pub", f -> "not a key at all\n"),
                        "{host: registry.example.com, type: oci, signed-by: [garbage.pub]}",
                        "registries[1].signed-by[0]: " + "KEYDIR" + "garbage.pub: is not a PEM file"),
                trust("config: signed-by names a missing file", Map.of(), "{host: registry.example.com, type: oci, signed-by: [gone.pub]}",
                        "gone.pub: does not exist"),
                trust("config: signed-by key on an unsupported curve", Map.of("p384.pub", f -> p384PublicKey()),
                        "{host: registry.example.com, type: oci, signed-by: [p384.pub]}", "a curve other than P-256"),
                trust("config: signed-by on a Harbor registry", Map.of("ec.pub", f -> Attestations.publicPem(Attestations.ecP256())),
                        "{host: other.example.com, type: harbor, signed-by: [ec.pub]}", "registries[1].signed-by: is for oci registries only"),
                trust("config: insecure on a remote host", Map.of(),
                        "{host: registry.example.com, type: oci, url: \"http://registry.example.com\", insecure: true}",
                        "registries[1].insecure: is allowed only for a loopback registry"),
                trust("config: insecure with https", Map.of(), "{host: registry.example.com, type: oci, insecure: true}",
                        "registries[1].insecure: allows plain http only"),
                trust("config: plain http to a remote host", Map.of(),
                        "{host: registry.example.com, type: oci, url: \"http://registry.example.com\"}",
                        "registries[1].url: plain http is not allowed for registry.example.com"),
                trust("config: ca-file missing", Map.of(), "{host: registry.example.com, type: oci, ca-file: nope.pem}",
                        "registries[1].ca-file: " + "KEYDIR" + "nope.pem: does not exist"),
                trust("config: ca-file garbage", Map.of("ca.pem", f -> "garbage\n"), "{host: registry.example.com, type: oci, ca-file: ca.pem}",
                        "ca.pem: is not a PEM file"),
                trust("config: ca-file holds a private key", Map.of("ca.pem", f -> Attestations.privatePem(Attestations.rsa())),
                        "{host: registry.example.com, type: oci, ca-file: ca.pem}", "ca.pem: holds a private key"),
                // source
                config("source: unreachable remote", GOOD_CONFIG_TAIL.replace("registries:", "git:\n  url: git://127.0.0.1:1/deploy.git\nregistries:"),
                        "could not fetch"),
                // registry
                registry("registry: 500", 500, "oops", "could not verify"),
                registry("registry: 401", 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}", "could not verify"),
                registry("registry: malformed JSON", 200, "{\"digest\": ", "could not verify"),
                new Case("registry: down", f -> {
                    String[] args = defaults(f);
                    f.registry.wireMock().stop();
                    return args;
                }, "could not verify")
        );
    }

    static String p384PublicKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp384r1"));
            return Attestations.pem("PUBLIC KEY", generator.generateKeyPair().getPublic().getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Secrets written into the hostile inputs; no output may repeat them. */
    static final String SECRET = "Secr3t-d0-not-print";

    /** Where the gate's own sources could be steered or leak: the policy source, credentials in URLs. */
    static Stream<Case> sourceCases() {
        return Stream.of(
                config("config: policies on the environment's branch", "git:\n  url: GIT\npolicies:\n  branch: env/production\n"
                        + GOOD_CONFIG_TAIL, "drawbridge.yaml:4: policies.branch: the policies would be read from branch "
                        + "env/production of"),
                config("config: default policies (git.url, main) on an environment's branch",
                        "git:\n  url: GIT\n" + GOOD_CONFIG_TAIL.replace("branch: env/production", "branch: main"),
                        "policies.branch: the policies would be read from branch main of"),
                config("config: policies.url is the deploy repository by another spelling, on an environment's branch",
                        "git:\n  url: GIT\npolicies:\n  url: GIT.git/\n  branch: refs/heads/env/production\n" + GOOD_CONFIG_TAIL,
                        "policies.branch: the policies would be read from branch refs/heads/env/production"),
                config("config: git.url with a token", "git:\n  url: https://" + SECRET + "@github.com/platform/deploy.git\n"
                        + GOOD_CONFIG_TAIL, "drawbridge.yaml:2: git.url: the Git URL must not contain credentials"),
                config("config: policies.url with user and password", "git:\n  url: GIT\npolicies:\n  url: https://bot:" + SECRET
                        + "@git.example.com/security/policies.git\n" + GOOD_CONFIG_TAIL,
                        "drawbridge.yaml:4: policies.url: the Git URL must not contain a password; put it in password-file"),
                config("config: malformed policies.url with a password", "git:\n  url: GIT\npolicies:\n  url: htps://bot:" + SECRET
                        + "@git.example.com/p.git\n" + GOOD_CONFIG_TAIL,
                        "policies.url: invalid Git URL \"htps://***@git.example.com/p.git\""),
                config("config: registry url with credentials", "git:\n  url: GIT\n" + GOOD_CONFIG_TAIL.replace("url: REGISTRY",
                        "url: https://robot:" + SECRET + "@harbor.example.com"), "registries[0].url: the URL must not contain credentials"),
                config("config: dashboard-url with credentials", "git:\n  url: GIT\ndashboard-url: https://admin:" + SECRET
                        + "@drawbridge.example.com\n" + GOOD_CONFIG_TAIL, "dashboard-url: the URL must not contain credentials"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"cases", "sourceCases", "dev.drawbridge.cli.RenderInputs#cases"})
    void badInputIsOneClearErrorAndExitTwo(Case c) throws Exception {
        try (CheckFixture f = new CheckFixture(dir)) {
            String[] args = c.setup().apply(f);
            int exit = f.check(args);
            String err = f.err.toString();
            assertThat(exit).as("exit code; stderr:\n" + err + "\nstdout:\n" + f.out).isEqualTo(2);
            assertThat(err).as("stderr").contains(c.expected().replace("KEYDIR", f.dir + java.io.File.separator));
            assertThat(f.out.toString()).doesNotContain("decision: PASS");
            assertThat(err + f.out).as("no secret repeated").doesNotContain(SECRET);
        }
    }

    @Test
    void aMissingBranchIsAnError() throws Exception {
        try (CheckFixture f = new CheckFixture(dir)) {
            Path config = f.config(Files.readString(f.config()).replace("branch: env/production", "branch: env/missing"));
            int exit = f.check("--config", config.toString(), "--env", "production");
            assertThat(exit).isEqualTo(2);
            assertThat(f.err.toString()).contains("env/missing");
        }
    }

    @Test
    void theGoodFixturePasses() throws Exception {
        try (CheckFixture f = new CheckFixture(dir)) {
            int exit = f.check(defaults(f));
            assertThat(exit).as(f.err + "\n" + f.out).isZero();
            assertThat(f.out.toString()).contains("decision: PASS");
        }
    }
}
