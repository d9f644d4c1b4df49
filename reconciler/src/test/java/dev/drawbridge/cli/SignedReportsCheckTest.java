package dev.drawbridge.cli;

import dev.drawbridge.image.Digest;
import dev.drawbridge.registry.testing.Attestations;
import dev.drawbridge.registry.testing.LocalOciRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code drawbridge check} end to end against a real OCI registry (docker-registry) with {@code signed-by}: only
 * a report signed by a trusted key over a statement about the image's digest lets the image pass; every other
 * attachment is no report, a BLOCK under {@code scan.present} saying why. Without {@code signed-by}, reports are
 * read as before and one warning line names the registry.
 */
class SignedReportsCheckTest {
    private static final KeyPair SCANNER = Attestations.ecP256();
    private static final Instant CREATED = Instant.now().minus(Duration.ofDays(3));
    private static final Instant FINISHED = Instant.now().minus(Duration.ofHours(2));

    private static LocalOciRegistry registry;

    @TempDir
    Path dir;

    @BeforeAll
    static void startRegistry() {
        registry = LocalOciRegistry.start();
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    interface Attach {
        void to(String repository, Digest digest);
    }

    record Case(String name, Attach attach, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static String trivy() {
        try (InputStream in = SignedReportsCheckTest.class.getResourceAsStream("/registry/trivy/alpine-310.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] vuln(String repository, Digest subject, KeyPair... signers) {
        return Attestations.signedEnvelope(Attestations.vulnStatement(registry.host() + "/" + repository, subject,
                FINISHED, trivy()), signers);
    }

    static Stream<Case> refused() {
        return Stream.of(
                new Case("a bare Trivy JSON report", (r, d) -> registry.attachTrivyReport(r, d, trivy()),
                        "a bare Trivy JSON report, not a signed DSSE envelope"),
                new Case("an unsigned cosign attestation", (r, d) -> registry.attachCosignVulnAttestation(r, d, FINISHED, trivy()),
                        "verify with none of the trusted keys"),
                new Case("an attestation signed by another key", (r, d) -> registry.attachEnvelope(r, d, vuln(r, d, Attestations.ecP256())),
                        "verify with none of the trusted keys"),
                new Case("the right key over another digest", (r, d) -> {
                    Digest other = registry.pushImage(r, null, "linux", "amd64", CREATED);
                    registry.attachEnvelope(r, d, vuln(r, other, SCANNER));
                }, "a signed statement about another image"),
                new Case("a signature over the payload, not its PAE", (r, d) -> {
                    byte[] body = Attestations.bytes(Attestations.vulnStatement(r, d, FINISHED, trivy()));
                    registry.attachEnvelope(r, d, Attestations.envelope(Attestations.IN_TOTO, body,
                            List.of(Attestations.sign(SCANNER.getPrivate(), body))));
                }, "verify with none of the trusted keys"),
                new Case("a truncated envelope", (r, d) -> {
                    byte[] good = vuln(r, d, SCANNER);
                    registry.attachEnvelope(r, d, Arrays.copyOf(good, good.length - 10));
                }, "not JSON (a truncated or damaged envelope?)"),
                new Case("a statement without subject", (r, d) -> registry.attachEnvelope(r, d, vuln(r, null, SCANNER)),
                        "a signed statement that names no subject"),
                new Case("an envelope with 10,000 signatures", (r, d) -> {
                    byte[] body = Attestations.bytes(Attestations.vulnStatement(r, d, FINISHED, trivy()));
                    byte[] good = Attestations.sign(SCANNER.getPrivate(), Attestations.pae(Attestations.IN_TOTO, body));
                    List<byte[]> signatures = new ArrayList<>();
                    for (int i = 0; i < 10_000; i++) {
                        signatures.add(good);
                    }
                    registry.attachEnvelope(r, d, Attestations.envelope(Attestations.IN_TOTO, body, signatures));
                }, "10000 signatures, more than the 16 that are checked"));
    }

    private CheckFixture fixture(String repository, boolean signedBy) throws IOException {
        CheckFixture f = new CheckFixture(dir);
        String image = registry.reference(repository, "1");
        f.onMain("policies/production.yaml", CheckFixture.POLICY.replace("harbor.example.com/prod/**", registry.host() + "/signed/**"));
        f.onBranch("app/deployment.yaml", CheckFixture.DEPLOYMENT.formatted(image));
        Files.writeString(dir.resolve("scanner.pub"), Attestations.publicPem(SCANNER));
        f.config("""
                git:
                  url: %s
                registries:
                  - host: "%s"
                    type: oci
                    url: %s
                    insecure: true
                    timeout: 5s
                %s
                environments:
                  - name: production
                    branch: env/production
                    path: app
                """.formatted(f.repo.url(), registry.host(), registry.url(), signedBy ? "    signed-by: [scanner.pub]" : ""));
        return f;
    }

    private static String[] args(CheckFixture f) {
        return new String[]{"--config", f.dir.resolve("drawbridge.yaml").toString(), "--env", "production"};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void anAttachmentThatIsNotSignedByATrustedKeyIsNoReportAndBlocks(Case c) throws Exception {
        String repository = "signed/" + c.name().replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        Digest digest = registry.pushImage(repository, "1", CREATED);
        c.attach().to(repository, digest);
        try (CheckFixture f = fixture(repository, true)) {
            int exit = f.check(args(f));

            String all = f.out + "\n" + f.err;
            assertThat(exit).as(all).isEqualTo(Main.BLOCKED);
            assertThat(f.out.toString()).contains("scan.present").contains("the report is not signed by a trusted key")
                    .contains(c.reason()).doesNotContain("decision: PASS");
            assertThat(f.err.toString()).doesNotContain("not signature-verified");
        }
    }

    @Test
    void aReportSignedByTheTrustedKeyPasses() throws Exception {
        Digest digest = registry.pushImage("signed/good", "1", CREATED);
        registry.pushAttestationTag("signed/good", digest, Attestations.VULN_PREDICATE, vuln("signed/good", digest, SCANNER));
        try (CheckFixture f = fixture("signed/good", true)) {
            int exit = f.check(args(f));

            assertThat(exit).as(f.out + "\n" + f.err).isEqualTo(Main.OK);
            assertThat(f.out.toString()).contains("decision: PASS");
            assertThat(f.err.toString()).doesNotContain("warning");
        }
    }

    @Test
    void withoutSignedByAnUnsignedReportIsReadAsBeforeAndOneWarningNamesTheRegistry() throws Exception {
        Digest digest = registry.pushImage("signed/unverified", "1", CREATED);
        registry.attachTrivyReport("signed/unverified", digest, trivy().replace("\"CreatedAt\"", "\"Unused\""), FINISHED);
        try (CheckFixture f = fixture("signed/unverified", false)) {
            int exit = f.check(args(f));

            assertThat(exit).as(f.out + "\n" + f.err).isEqualTo(Main.OK);
            List<String> warnings = f.err.toString().lines().filter(l -> l.contains("not signature-verified")).toList();
            assertThat(warnings).containsExactly("warning: registry " + registry.host() + " (oci): its scan reports and "
                    + "SBOMs are not signature-verified; anyone who can push to it can attach a report (set "
                    + "registries[0].signed-by to the scanners' public keys)");
        }
    }
}
