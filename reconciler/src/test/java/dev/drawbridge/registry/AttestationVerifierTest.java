package dev.drawbridge.registry;

import static dev.drawbridge.registry.testing.Attestations.IN_TOTO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.image.Digest;
import dev.drawbridge.registry.testing.Attestations;
import org.junit.jupiter.api.Test;

/** DSSE envelopes signed in the test with keys made in the test, as cosign signs them. */
class AttestationVerifierTest {
    private static final Digest IMAGE = Digest.sha256("the image".getBytes(StandardCharsets.UTF_8));
    private static final Digest OTHER = Digest.sha256("another image".getBytes(StandardCharsets.UTF_8));
    private static final Instant FINISHED = Instant.parse("2026-11-28T07:30:00Z");
    private static final KeyPair EC = Attestations.ecP256();
    private static final KeyPair ED = Attestations.ed25519();
    private static final KeyPair RSA = Attestations.rsa();

    private static ObjectNode statement(Digest subject) {
        return Attestations.vulnStatement("registry.example.com/shop/api", subject, FINISHED,
                TestResources.read("trivy/alpine-310.json"));
    }

    private static AttestationVerifier trusting(KeyPair... pairs) {
        return new AttestationVerifier(Arrays.stream(pairs)
                .map(p -> new TrustedKey("key.pub", algorithm(p.getPublic()), p.getPublic())).toList());
    }

    private static String algorithm(PublicKey key) {
        return switch (key.getAlgorithm()) {
            case "EC" -> "ECDSA P-256";
            case "RSA" -> "RSA";
            default -> "Ed25519";
        };
    }

    private static String reason(AttestationVerifier.Outcome outcome) {
        assertThat(outcome).isInstanceOf(AttestationVerifier.Untrusted.class);
        return ((AttestationVerifier.Untrusted) outcome).reason();
    }

    @Test
    void theEncodingIsTheOneOfTheDsseSpecification() {
        byte[] body = "hello world".getBytes(StandardCharsets.UTF_8);
        byte[] header = AttestationVerifier.header("http://example.com/HelloWorld", body.length);

        assertThat(new String(header, StandardCharsets.UTF_8) + "hello world")
                .isEqualTo("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
        assertThat(Attestations.pae("http://example.com/HelloWorld", body))
                .isEqualTo("DSSEv1 29 http://example.com/HelloWorld 11 hello world".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void acceptsAStatementAboutTheDigestSignedWithEachKindOfKey() {
        for (KeyPair pair : List.of(EC, ED, RSA)) {
            AttestationVerifier.Outcome outcome = trusting(pair).verify(Attestations.signedEnvelope(statement(IMAGE), pair), IMAGE);

            assertThat(outcome).as(pair.getPublic().getAlgorithm()).isInstanceOf(AttestationVerifier.Trusted.class);
            assertThat(((AttestationVerifier.Trusted) outcome).statement().path("predicateType").asText())
                    .isEqualTo(Attestations.VULN_PREDICATE);
        }
    }

    @Test
    void acceptsCosignsExactBytesAnEcdsaDerSignatureOverTheLiteralEncoding() throws Exception {
        byte[] body = Attestations.bytes(statement(IMAGE));
        byte[] pae = ("DSSEv1 28 application/vnd.in-toto+json " + body.length + " ").getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(EC.getPrivate());
        signer.update(pae);
        signer.update(body);
        byte[] der = signer.sign();
        assertThat(der[0]).as("an ASN.1 DER SEQUENCE").isEqualTo((byte) 0x30);
        String envelope = "{\"payloadType\":\"application/vnd.in-toto+json\",\"payload\":\""
                + Base64.getEncoder().encodeToString(body) + "\",\"signatures\":[{\"keyid\":\"\",\"sig\":\""
                + Base64.getEncoder().encodeToString(der) + "\"}]}";

        assertThat(trusting(EC).verify(envelope.getBytes(StandardCharsets.UTF_8), IMAGE))
                .isInstanceOf(AttestationVerifier.Trusted.class);
    }

    @Test
    void acceptsAnRsaPssSignature() throws Exception {
        byte[] body = Attestations.bytes(statement(IMAGE));
        Signature pss = Signature.getInstance("RSASSA-PSS");
        pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        pss.initSign(RSA.getPrivate());
        pss.update(Attestations.pae(IN_TOTO, body));

        assertThat(trusting(RSA).verify(Attestations.envelope(IN_TOTO, body, List.of(pss.sign())), IMAGE))
                .isInstanceOf(AttestationVerifier.Trusted.class);
    }

    @Test
    void refusesASignatureByAnotherKey() {
        byte[] envelope = Attestations.signedEnvelope(statement(IMAGE), Attestations.ecP256());

        assertThat(reason(trusting(EC, ED, RSA).verify(envelope, IMAGE))).contains("verify with none of the trusted keys");
    }

    @Test
    void refusesTheRightKeyOverAStatementAboutAnotherDigest() {
        byte[] envelope = Attestations.signedEnvelope(statement(OTHER), EC);

        assertThat(reason(trusting(EC).verify(envelope, IMAGE))).contains("another image").contains(IMAGE.shortForm());
    }

    @Test
    void refusesASignatureOverOtherBytesThanTheEncoding() {
        byte[] body = Attestations.bytes(statement(IMAGE));
        byte[] overPayloadOnly = Attestations.sign(EC.getPrivate(), body); // not PAE-encoded

        assertThat(reason(trusting(EC).verify(Attestations.envelope(IN_TOTO, body, List.of(overPayloadOnly)), IMAGE)))
                .contains("verify with none of the trusted keys");
    }

    @Test
    void refusesAPayloadChangedAfterSigning() {
        byte[] body = Attestations.bytes(statement(IMAGE));
        byte[] sig = Attestations.sign(EC.getPrivate(), Attestations.pae(IN_TOTO, body));
        byte[] changed = Attestations.bytes(statement(IMAGE).put("predicateType", Attestations.VULN_PREDICATE + " "));

        assertThat(reason(trusting(EC).verify(Attestations.envelope(IN_TOTO, changed, List.of(sig)), IMAGE)))
                .contains("none of the trusted keys");
    }

    @Test
    void refusesATruncatedEnvelope() {
        byte[] envelope = Attestations.signedEnvelope(statement(IMAGE), EC);

        assertThat(reason(trusting(EC).verify(Arrays.copyOf(envelope, envelope.length / 2), IMAGE))).contains("not JSON");
    }

    @Test
    void refusesAStatementWithoutSubject() {
        assertThat(reason(trusting(EC).verify(Attestations.signedEnvelope(statement(null), EC), IMAGE)))
                .contains("names no subject");
    }

    @Test
    void refusesUnsignedReportsOfEveryShape() {
        AttestationVerifier verifier = trusting(EC);
        byte[] statement = Attestations.bytes(statement(IMAGE));

        assertThat(reason(verifier.verify(TestResources.read("trivy/alpine-310.json").getBytes(StandardCharsets.UTF_8), IMAGE)))
                .contains("bare Trivy JSON report");
        assertThat(reason(verifier.verify(statement, IMAGE))).contains("unsigned in-toto statement");
        assertThat(reason(verifier.verify(Attestations.envelope(IN_TOTO, statement, List.of()), IMAGE))).contains("no signature");
        assertThat(reason(verifier.verify(Attestations.envelope(IN_TOTO, statement, List.of(new byte[0])), IMAGE)))
                .contains("none of the trusted keys");
    }

    @Test
    void refusesASignedPayloadOfAnotherType() {
        byte[] body = Attestations.bytes(statement(IMAGE));
        byte[] sig = Attestations.sign(EC.getPrivate(), Attestations.pae("text/plain", body));

        assertThat(reason(trusting(EC).verify(Attestations.envelope("text/plain", body, List.of(sig)), IMAGE)))
                .contains("payloadType is not application/vnd.in-toto+json");
    }

    @Test
    void refusesTenThousandSignaturesQuicklyWithoutTryingThem() {
        byte[] body = Attestations.bytes(statement(IMAGE));
        byte[] good = Attestations.sign(EC.getPrivate(), Attestations.pae(IN_TOTO, body));
        List<byte[]> signatures = new ArrayList<>();
        for (int i = 0; i < 9_999; i++) {
            signatures.add(new byte[72]);
        }
        signatures.add(good); // a good one last must not make the envelope count
        byte[] envelope = Attestations.envelope(IN_TOTO, body, signatures);

        String reason = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> reason(trusting(EC).verify(envelope, IMAGE)));

        assertThat(reason).contains("10000 signatures, more than the 16");
    }

    @Test
    void aGoodSignatureAmongTheFirstSixteenCounts() {
        byte[] body = Attestations.bytes(statement(IMAGE));
        List<byte[]> signatures = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            signatures.add(Attestations.sign(Attestations.ed25519().getPrivate(), Attestations.pae(IN_TOTO, body)));
        }
        signatures.add(Attestations.sign(ED.getPrivate(), Attestations.pae(IN_TOTO, body)));

        assertThat(trusting(EC, ED).verify(Attestations.envelope(IN_TOTO, body, signatures), IMAGE))
                .isInstanceOf(AttestationVerifier.Trusted.class);
    }
}
