package dev.drawbridge.registry.testing;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made in the test (BouncyCastle, on the test class path through the Kubernetes mock
 * server) and server certificates it signs, for TLS servers a registry client must trust only through
 * {@code ca-file}.
 */
public final class TestCertificates {
    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

    private final KeyPair keys;
    private final X509Certificate certificate;

    private TestCertificates(KeyPair keys, X509Certificate certificate) {
        this.keys = keys;
        this.certificate = certificate;
    }

    /** A new self-signed CA certificate (basicConstraints CA, keyCertSign). */
    public static TestCertificates authority(String name) {
        KeyPair keys = Attestations.ecP256();
        X500Name subject = new X500Name("CN=" + name);
        X509Certificate certificate = build(subject, keys, subject, keys, true, List.of());
        return new TestCertificates(keys, certificate);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The CA certificate as PEM (what a {@code ca-file} holds). */
    public String pem() {
        return pem(certificate);
    }

    /** A server certificate for {@code names} (DNS names, or IP addresses), signed by this CA, as PEM. */
    public String serverPem(String... names) {
        return pem(server(Attestations.ecP256(), names));
    }

    /** A PKCS#12 key store with a server key and its certificate chain for {@code names}, signed by this CA. */
    public Path serverKeyStore(Path file, char[] password, String... names) {
        KeyPair serverKeys = Attestations.ecP256();
        X509Certificate server = server(serverKeys, names);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", serverKeys.getPrivate(), password, new Certificate[]{server, certificate});
            try (var out = Files.newOutputStream(file)) {
                store.store(out, password);
            }
            return file;
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the key store", e);
        }
    }

    private X509Certificate server(KeyPair serverKeys, String... names) {
        List<GeneralName> alternatives = new ArrayList<>();
        for (String n : names) {
            alternatives.add(new GeneralName(Character.isDigit(n.charAt(0)) ? GeneralName.iPAddress : GeneralName.dNSName, n));
        }
        return build(new X500Name("CN=" + names[0]), serverKeys, X500Name.getInstance(certificate.getSubjectX500Principal()
                .getEncoded()), keys, false, alternatives);
    }

    private static X509Certificate build(X500Name subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys,
                                         boolean ca, List<GeneralName> alternatives) {
        try {
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(1))), subject, subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                    : KeyUsage.digitalSignature));
            if (!alternatives.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(alternatives.toArray(GeneralName[]::new)));
            }
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }

    private static String pem(X509Certificate certificate) {
        try {
            return Attestations.pem("CERTIFICATE", certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
