package dev.drawbridge.config;

import dev.drawbridge.registry.RegistrySettings;

import dev.drawbridge.registry.TrustedKey;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * One entry of {@code registries:}: how to read digests and scan results for images of {@code host}.
 *
 * @param host         image host, with port if any, e.g. {@code harbor.example.com}, {@code 127.0.0.1:5000}
 * @param type         harbor or oci
 * @param url          default {@code https://<host>} ({@code https://registry-1.docker.io} for docker.io)
 * @param username     optional
 * @param passwordFile optional, read at use
 * @param insecure     plain http to a loopback registry; default false
 * @param concurrency  maximum concurrent requests; default 8
 * @param timeout      per request; default 10s
 * @param signedBy     {@code signed-by}: the keys whose attestations count (oci only); empty when not set
 * @param caCertificates {@code ca-file}: extra certificate authorities of this registry; empty when not set
 */
public record RegistryConfig(String host, RegistrySettings.Type type, URI url, String username,
                             SecretFile passwordFile, boolean insecure, int concurrency, Duration timeout,
                             List<TrustedKey> signedBy, List<X509Certificate> caCertificates) {

    public RegistryConfig {
        signedBy = signedBy == null ? List.of() : List.copyOf(signedBy);
        caCertificates = caCertificates == null ? List.of() : List.copyOf(caCertificates);
    }

    /** Without {@code signed-by} and {@code ca-file}. */
    public RegistryConfig(String host, RegistrySettings.Type type, URI url, String username, SecretFile passwordFile,
                          boolean insecure, int concurrency, Duration timeout) {
        this(host, type, url, username, passwordFile, insecure, concurrency, timeout, List.of(), List.of());
    }

    /** The settings the registry clients use; the password supplier reads the file at each use. */
    public RegistrySettings toSettings() {
        SecretFile secret = passwordFile;
        return new RegistrySettings(host, type, url, username, secret == null ? null : secret::read, insecure,
                concurrency, timeout, signedBy, caCertificates);
    }
}
