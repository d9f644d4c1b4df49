package dev.drawbridge.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

import dev.drawbridge.registry.testing.Attestations;
import dev.drawbridge.registry.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key and CA files of a registry: what is accepted, and one clear error without key material otherwise. */
class PemFilesTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void readsEcP256Ed25519AndRsaPublicKeys() throws Exception {
        assertThat(PemFiles.publicKeys(write("ec.pub", Attestations.publicPem(Attestations.ecP256()))))
                .singleElement().extracting(TrustedKey::algorithm).isEqualTo("ECDSA P-256");
        assertThat(PemFiles.publicKeys(write("ed.pub", Attestations.publicPem(Attestations.ed25519()))))
                .singleElement().extracting(TrustedKey::algorithm).isEqualTo("Ed25519");
        assertThat(PemFiles.publicKeys(write("rsa.pub", Attestations.publicPem(Attestations.rsa()))))
                .singleElement().extracting(TrustedKey::algorithm).isEqualTo("RSA");
    }

    @Test
    void refusesAPrivateKeyWithoutShowingIt() throws Exception {
        KeyPair pair = Attestations.ecP256();
        Path file = write("cosign.key", Attestations.privatePem(pair));
        String material = Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()).substring(0, 20);

        assertThatThrownBy(() -> PemFiles.publicKeys(file)).hasMessageStartingWith(file + ": holds a private key")
                .hasMessageNotContaining(material);
    }

    @Test
    void refusesACertificateChain() throws Exception {
        TestCertificates ca = TestCertificates.authority("Test CA");
        Path file = write("chain.pem", ca.serverPem("localhost") + ca.pem());

        assertThatThrownBy(() -> PemFiles.publicKeys(file)).hasMessage(file + ": holds a certificate chain, not a public "
                + "key; give the signer's public key (a PEM \"PUBLIC KEY\", e.g. openssl x509 -pubkey -noout)");
    }

    @Test
    void refusesWhatIsNotPemAMissingFileAndAnUnsupportedCurve() throws Exception {
        Path garbage = write("garbage.pub", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG secret-looking\n");
        assertThatThrownBy(() -> PemFiles.publicKeys(garbage)).hasMessageStartingWith(garbage + ": is not a PEM file")
                .hasMessageNotContaining("AAAAC3");
        assertThatThrownBy(() -> PemFiles.publicKeys(dir.resolve("missing.pub"))).hasMessageEndingWith(": does not exist");
        KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
        p384.initialize(new ECGenParameterSpec("secp384r1"));
        Path file = write("p384.pub", Attestations.publicPem(p384.generateKeyPair()));
        assertThatThrownBy(() -> PemFiles.publicKeys(file)).hasMessageContaining("a curve other than P-256");
        Path damaged = write("damaged.pub", "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n");
        assertThatThrownBy(() -> PemFiles.publicKeys(damaged)).hasMessageContaining("cannot be read");
    }

    @Test
    void readsCaCertificatesAndRefusesAnythingElseInACaFile() throws Exception {
        TestCertificates ca = TestCertificates.authority("Test CA");
        assertThat(PemFiles.certificates(write("ca.pem", ca.pem()))).hasSize(1);
        Path key = write("key.pem", Attestations.privatePem(Attestations.rsa()));
        assertThatThrownBy(() -> PemFiles.certificates(key)).hasMessageStartingWith(key + ": holds a private key");
        Path garbage = write("garbage.pem", "not a certificate");
        assertThatThrownBy(() -> PemFiles.certificates(garbage)).hasMessageStartingWith(garbage + ": is not a PEM file");
        Path bad = write("bad.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> PemFiles.certificates(bad)).hasMessageContaining("not a valid X.509 certificate");
    }
}
