package dev.drawbridge.registry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.image.Digest;

/**
 * Signed attestations made in tests exactly as cosign makes them: keys generated here (ECDSA P-256, Ed25519,
 * RSA), in-toto statements (cosign's vuln predicate, a CycloneDX SBOM predicate), the DSSE pre-authentication
 * encoding and envelopes whose {@code sig} is the base64 of the signature (ASN.1 DER for ECDSA, as Go's
 * {@code ecdsa.SignASN1} and the JDK's {@code SHA256withECDSA} both write it).
 */
public final class Attestations {
    public static final String IN_TOTO = "application/vnd.in-toto+json";
    public static final String VULN_PREDICATE = "https://cosign.sigstore.dev/attestation/vuln/v1";
    public static final String STATEMENT_V01 = "https://in-toto.io/Statement/v0.1";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Attestations() {
    }

    public static KeyPair ecP256() {
        return generate("EC", new ECGenParameterSpec("secp256r1"));
    }

    public static KeyPair ed25519() {
        return generate("Ed25519", null);
    }

    public static KeyPair rsa() {
        return generate("RSA", null);
    }

    /** {@code -----BEGIN PUBLIC KEY-----} (X.509 SubjectPublicKeyInfo), as in {@code cosign.pub}. */
    public static String publicPem(KeyPair keys) {
        return pem("PUBLIC KEY", keys.getPublic());
    }

    /** {@code -----BEGIN PRIVATE KEY-----} (PKCS#8): what must never be configured as a trusted key. */
    public static String privatePem(KeyPair keys) {
        return pem("PRIVATE KEY", keys.getPrivate());
    }

    public static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + label + "-----\n";
    }

    private static String pem(String label, Key key) {
        return pem(label, key.getEncoded());
    }

    /** DSSE's PAE: {@code DSSEv1 <len(type)> <type> <len(body)> <body>}, lengths in bytes, decimal. */
    public static byte[] pae(String payloadType, byte[] body) {
        byte[] head = ("DSSEv1 " + payloadType.getBytes(StandardCharsets.UTF_8).length + " " + payloadType + " "
                + body.length + " ").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    /** Signs {@code message} with the algorithm cosign uses for the key's type. */
    public static byte[] sign(PrivateKey key, byte[] message) {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> "Ed25519";
        };
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(message);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An envelope as cosign writes it: one signature per key over the PAE of the statement, keyid empty. */
    public static byte[] signedEnvelope(JsonNode statement, KeyPair... signers) {
        byte[] body = bytes(statement);
        List<byte[]> signatures = new ArrayList<>();
        for (KeyPair signer : signers) {
            signatures.add(sign(signer.getPrivate(), pae(IN_TOTO, body)));
        }
        return envelope(IN_TOTO, body, signatures);
    }

    public static byte[] envelope(String payloadType, byte[] body, List<byte[]> signatures) {
        ObjectNode envelope = JSON.createObjectNode().put("payloadType", payloadType)
                .put("payload", Base64.getEncoder().encodeToString(body));
        ArrayNode sigs = envelope.putArray("signatures");
        signatures.forEach(s -> sigs.addObject().put("keyid", "").put("sig", Base64.getEncoder().encodeToString(s)));
        return bytes(envelope);
    }

    /** cosign's vulnerability attestation statement (in-toto v0.1), as {@code cosign attest --type vuln} writes it. */
    public static ObjectNode vulnStatement(String name, Digest subject, Instant scanFinishedOn, String trivyJson) {
        ObjectNode statement = JSON.createObjectNode().put("_type", STATEMENT_V01).put("predicateType", VULN_PREDICATE);
        if (subject != null) {
            statement.putArray("subject").addObject().put("name", name).putObject("digest")
                    .put(subject.algorithm(), subject.hex());
        }
        ObjectNode predicate = statement.putObject("predicate");
        predicate.putObject("invocation").putNull("parameters").put("uri", "").put("event_id", "").put("builder.id", "");
        ObjectNode scanner = predicate.putObject("scanner").put("uri", "pkg:github/aquasecurity/trivy@v0.57.0")
                .put("version", "0.57.0");
        scanner.putObject("db").put("uri", "").put("version", "");
        scanner.set("result", read(trivyJson));
        predicate.putObject("metadata").put("scanStartedOn", scanFinishedOn.minusSeconds(30).toString())
                .put("scanFinishedOn", scanFinishedOn.toString());
        return statement;
    }

    /** A CycloneDX SBOM statement, as {@code cosign attest --type cyclonedx} writes it. */
    public static ObjectNode sbomStatement(String name, Digest subject) {
        ObjectNode statement = JSON.createObjectNode().put("_type", STATEMENT_V01)
                .put("predicateType", "https://cyclonedx.org/bom");
        statement.putArray("subject").addObject().put("name", name).putObject("digest")
                .put(subject.algorithm(), subject.hex());
        statement.putObject("predicate").put("bomFormat", "CycloneDX").put("specVersion", "1.5").put("version", 1)
                .putArray("components");
        return statement;
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeyPair generate(String algorithm, ECGenParameterSpec spec) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (spec != null) {
                generator.initialize(spec);
            } else if (algorithm.equals("RSA")) {
                generator.initialize(2048);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
