package dev.drawbridge.registry;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.image.Digest;

/**
 * Decides whether an attachment is a statement about one digest signed by a trusted key: a DSSE envelope
 * ({@code payloadType}, base64 {@code payload}, {@code signatures[].sig}) with at least one signature over
 * the DSSE pre-authentication encoding {@code DSSEv1 <len(type)> <type> <len(body)> <body>} that verifies
 * with one of the keys (ECDSA P-256 with SHA-256, signature ASN.1 DER as cosign writes it; Ed25519; RSA
 * PKCS#1 v1.5 or PSS with SHA-256), whose payload is an in-toto statement (v0.1 or v1) naming the digest
 * in {@code subject[].digest}. The payload is parsed only after a signature verified, and at most
 * {@link #MAX_SIGNATURES} signatures are looked at: an envelope with more is refused whole.
 */
final class AttestationVerifier {
    static final int MAX_SIGNATURES = 16;
    static final String IN_TOTO_PAYLOAD = "application/vnd.in-toto+json";
    static final Set<String> STATEMENT_TYPES = Set.of("https://in-toto.io/Statement/v0.1", "https://in-toto.io/Statement/v1");

    /** What an attachment turned out to be. */
    sealed interface Outcome {
    }

    /** A statement about the digest, signed by {@code key}. */
    record Trusted(JsonNode statement, TrustedKey key) implements Outcome {
    }

    /** Not a signed statement about the digest; {@code reason} says why, in a few words and without secrets. */
    record Untrusted(String reason) implements Outcome {
    }

    private final List<TrustedKey> keys;

    AttestationVerifier(List<TrustedKey> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one trusted key is needed");
        }
        this.keys = List.copyOf(keys);
    }

    Outcome verify(byte[] content, Digest subject) {
        JsonNode envelope = Json.tryParse(content);
        if (envelope == null) {
            return new Untrusted("an attachment that is not JSON (a truncated or damaged envelope?), not a signed DSSE envelope");
        }
        if (!envelope.has("payloadType") || !envelope.has("payload")) {
            if (ReportRecognizer.isTrivy(envelope)) {
                return new Untrusted("a bare Trivy JSON report, not a signed DSSE envelope");
            }
            if (envelope.has("_type")) {
                return new Untrusted("an unsigned in-toto statement, not a DSSE envelope");
            }
            if (envelope.has("bomFormat") || envelope.has("spdxVersion")) {
                return new Untrusted("an unsigned SBOM document, not a DSSE envelope");
            }
            return new Untrusted("a JSON document that is not a DSSE envelope");
        }
        String payloadType = Json.text(envelope, "payloadType");
        String payload = Json.text(envelope, "payload");
        byte[] body;
        try {
            body = Base64.getDecoder().decode(payload == null ? "!" : payload);
        } catch (IllegalArgumentException e) {
            return new Untrusted("a DSSE envelope whose payload is not base64");
        }
        if (payloadType == null) {
            return new Untrusted("a DSSE envelope without a payloadType");
        }
        JsonNode signatures = envelope.path("signatures");
        if (!signatures.isArray() || signatures.isEmpty()) {
            return new Untrusted("a DSSE envelope with no signature");
        }
        if (signatures.size() > MAX_SIGNATURES) {
            return new Untrusted("a DSSE envelope with " + signatures.size() + " signatures, more than the "
                    + MAX_SIGNATURES + " that are checked");
        }
        byte[] header = header(payloadType, body.length);
        TrustedKey signer = null;
        for (JsonNode signature : signatures) {
            byte[] sig = signatureBytes(Json.text(signature, "sig"));
            if (sig == null) {
                continue;
            }
            for (TrustedKey key : keys) {
                if (verifies(key, header, body, sig)) {
                    signer = key;
                    break;
                }
            }
            if (signer != null) {
                break;
            }
        }
        if (signer == null) {
            return new Untrusted("a DSSE envelope whose signatures verify with none of the trusted keys");
        }
        if (!IN_TOTO_PAYLOAD.equals(payloadType)) {
            return new Untrusted("a signed DSSE envelope whose payloadType is not " + IN_TOTO_PAYLOAD);
        }
        JsonNode statement = Json.tryParse(body);
        if (statement == null || !STATEMENT_TYPES.contains(Json.text(statement, "_type"))) {
            return new Untrusted("a signed payload that is not an in-toto statement (v0.1 or v1)");
        }
        JsonNode subjects = statement.path("subject");
        if (!subjects.isArray() || subjects.isEmpty()) {
            return new Untrusted("a signed statement that names no subject");
        }
        String wanted = subject.hex().toLowerCase(Locale.ROOT);
        for (JsonNode s : subjects) {
            String named = Json.text(s.path("digest"), subject.algorithm());
            if (named != null && named.toLowerCase(Locale.ROOT).equals(wanted)) {
                return new Trusted(statement, signer);
            }
        }
        return new Untrusted("a signed statement about another image (its subject does not name "
                + subject.shortForm() + ")");
    }

    /** The DSSE pre-authentication encoding up to the body: {@code DSSEv1 <len(type)> <type> <len(body)> }. */
    static byte[] header(String payloadType, int bodyLength) {
        byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
        String head = "DSSEv1 " + type.length + " " + payloadType + " " + bodyLength + " ";
        return head.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] signatureBytes(String sig) {
        if (sig == null || sig.isEmpty()) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(sig);
        } catch (IllegalArgumentException e) {
            try {
                return Base64.getUrlDecoder().decode(sig);
            } catch (IllegalArgumentException again) {
                return null;
            }
        }
    }

    private static boolean verifies(TrustedKey key, byte[] header, byte[] body, byte[] sig) {
        return switch (key.algorithm()) {
            case "ECDSA P-256" -> verifies("SHA256withECDSA", null, key, header, body, sig);
            case "Ed25519" -> verifies("Ed25519", null, key, header, body, sig);
            default -> verifies("SHA256withRSA", null, key, header, body, sig)
                    || verifies("RSASSA-PSS", new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1),
                    key, header, body, sig)
                    || verifies("RSASSA-PSS", new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
                    maxPssSalt(key), 1), key, header, body, sig);
        };
    }

    /** Go's {@code rsa.PSSSaltLengthAuto} signs with the longest salt the key allows. */
    private static int maxPssSalt(TrustedKey key) {
        int bytes = (((RSAPublicKey) key.key()).getModulus().bitLength() - 1 + 7) / 8;
        return Math.max(0, bytes - 32 - 2);
    }

    private static boolean verifies(String algorithm, PSSParameterSpec pss, TrustedKey key, byte[] header, byte[] body,
                                    byte[] sig) {
        try {
            Signature verifier = Signature.getInstance(algorithm);
            if (pss != null) {
                verifier.setParameter(pss);
            }
            verifier.initVerify(key.key());
            verifier.update(header);
            verifier.update(body);
            return verifier.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // a malformed signature is one that does not verify
        }
    }
}
