package dev.drawbridge.registry;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files of a registry's configuration: the public keys that sign attestations
 * ({@code signed-by}) and the extra certificate authorities of a registry ({@code ca-file}). Every problem is
 * a {@link PemException} naming the file and what is wrong with it; no message ever quotes the file's content.
 */
public final class PemFiles {
    /** Larger than any key or CA bundle; bounds what a mistaken path (a device, a log) costs to read. */
    static final int MAX_BYTES = 1 << 20;
    static final int MIN_RSA_BITS = 2048;
    static final String SUPPORTED = "supported: ECDSA P-256, Ed25519, RSA of at least " + MIN_RSA_BITS + " bits";

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([^\\r\\n-]{1,80})-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final Pattern SAFE_LABEL = Pattern.compile("[A-Z0-9 ]{1,40}");

    private record Block(String label, String base64) {
    }

    private PemFiles() {
    }

    /** A PEM file that cannot be used; the message names the file and the problem, never its content. */
    public static final class PemException extends Exception {
        private final transient Path file;
        private final String problem;

        PemException(Path file, String problem) {
            super(file + ": " + problem);
            this.file = file;
            this.problem = problem;
        }

        public Path file() {
            return file;
        }

        public String problem() {
            return problem;
        }
    }

    /**
     * The public keys of a file of one or more {@code PUBLIC KEY} blocks (X.509 SubjectPublicKeyInfo), as
     * {@code cosign generate-key-pair} writes {@code cosign.pub}.
     */
    public static List<TrustedKey> publicKeys(Path file) throws PemException {
        List<Block> blocks = blocks(file, "PUBLIC KEY");
        List<TrustedKey> keys = new ArrayList<>();
        for (Block block : blocks) {
            if (block.label().contains("PRIVATE KEY")) {
                throw new PemException(file, "holds a private key; give the public key only (a PEM \"PUBLIC KEY\", "
                        + "e.g. cosign.pub or the output of openssl pkey -pubout), and keep the private key secret");
            }
            if (block.label().equals("CERTIFICATE") || block.label().equals("TRUSTED CERTIFICATE")) {
                throw new PemException(file, "holds a certificate" + (blocks.size() > 1 ? " chain" : "")
                        + ", not a public key; give the signer's public key (a PEM \"PUBLIC KEY\", e.g. openssl x509 -pubkey -noout)");
            }
            if (block.label().equals("RSA PUBLIC KEY")) {
                throw new PemException(file, "holds an \"RSA PUBLIC KEY\" (PKCS#1); give it as a \"PUBLIC KEY\" "
                        + "(X.509 SubjectPublicKeyInfo, e.g. openssl rsa -RSAPublicKey_in -pubout)");
            }
            if (!block.label().equals("PUBLIC KEY")) {
                throw new PemException(file, "holds " + describe(block.label()) + ", not a PEM \"PUBLIC KEY\"");
            }
            keys.add(publicKey(file, decode(file, block)));
        }
        return keys;
    }

    /** The certificates of a file of one or more {@code CERTIFICATE} blocks (a CA bundle). */
    public static List<X509Certificate> certificates(Path file) throws PemException {
        List<X509Certificate> certificates = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("no X.509 support in this JDK", e);
        }
        for (Block block : blocks(file, "CERTIFICATE")) {
            if (block.label().contains("PRIVATE KEY")) {
                throw new PemException(file, "holds a private key; a CA file holds only CA certificates (PEM \"CERTIFICATE\")");
            }
            if (!block.label().equals("CERTIFICATE")) {
                throw new PemException(file, "holds " + describe(block.label()) + ", not a PEM \"CERTIFICATE\"");
            }
            try (InputStream in = new ByteArrayInputStream(decode(file, block))) {
                certificates.add((X509Certificate) factory.generateCertificate(in));
            } catch (CertificateException | IOException | ClassCastException e) {
                throw new PemException(file, "holds a \"CERTIFICATE\" that is not a valid X.509 certificate");
            }
        }
        return certificates;
    }

    private static List<Block> blocks(Path file, String expected) throws PemException {
        String text = new String(read(file), StandardCharsets.US_ASCII);
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            blocks.add(new Block(m.group(1).strip(), m.group(2)));
        }
        if (blocks.isEmpty()) {
            throw new PemException(file, "is not a PEM file (expected -----BEGIN " + expected + "----- ... -----END "
                    + expected + "-----)");
        }
        return blocks;
    }

    private static byte[] read(Path file) throws PemException {
        if (!Files.exists(file)) {
            throw new PemException(file, "does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new PemException(file, "is not a regular file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] content = in.readNBytes(MAX_BYTES + 1);
            if (content.length > MAX_BYTES) {
                throw new PemException(file, "is larger than " + MAX_BYTES + " bytes, not a PEM key or certificate file");
            }
            return content;
        } catch (NoSuchFileException e) {
            throw new PemException(file, "does not exist");
        } catch (IOException e) {
            throw new PemException(file, "cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static byte[] decode(Path file, Block block) throws PemException {
        try {
            return Base64.getMimeDecoder().decode(block.base64().replaceAll("(?m)^[A-Za-z-]+:.*$", "").strip());
        } catch (IllegalArgumentException e) {
            throw new PemException(file, "holds a \"" + block.label() + "\" block that is not valid base64");
        }
    }

    private static TrustedKey publicKey(Path file, byte[] der) throws PemException {
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        PublicKey key = null;
        String algorithm = null;
        for (String type : List.of("EC", "Ed25519", "RSA")) {
            try {
                key = KeyFactory.getInstance(type).generatePublic(spec);
                algorithm = type;
                break;
            } catch (GeneralSecurityException | RuntimeException e) {
                // not a key of this type: try the next
            }
        }
        if (key == null) {
            throw new PemException(file, "holds a public key of an unsupported type or one that cannot be read ("
                    + SUPPORTED + ")");
        }
        if (key instanceof ECPublicKey ec) {
            if (!isP256(ec.getParams())) {
                throw new PemException(file, "holds an EC key on a curve other than P-256 (" + SUPPORTED + ")");
            }
            return new TrustedKey(file.toString(), "ECDSA P-256", key);
        }
        if (key instanceof RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            if (bits < MIN_RSA_BITS) {
                throw new PemException(file, "holds an RSA key of " + bits + " bits, too short (" + SUPPORTED + ")");
            }
            return new TrustedKey(file.toString(), "RSA", key);
        }
        return new TrustedKey(file.toString(), algorithm, key);
    }

    private static boolean isP256(ECParameterSpec params) {
        try {
            AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
            p.init(new ECGenParameterSpec("secp256r1"));
            ECParameterSpec p256 = p.getParameterSpec(ECParameterSpec.class);
            return params.getCurve().equals(p256.getCurve()) && params.getOrder().equals(p256.getOrder())
                    && params.getGenerator().equals(p256.getGenerator()) && params.getCofactor() == p256.getCofactor();
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String describe(String label) {
        return SAFE_LABEL.matcher(label).matches() ? "a PEM \"" + label + "\"" : "a PEM block of an unknown kind";
    }
}
