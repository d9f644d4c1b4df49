package dev.drawbridge.config;

import dev.drawbridge.registry.RegistrySettings;

import java.net.URI;
import java.time.Duration;

/**
 * One entry of {@code registries:}: how to read digests and scan results for images of {@code host}.
 *
 * @param host         image host, with port if any, e.g. {@code harbor.example.com}, {@code 127.0.0.1:5000}
 * @param type         harbor or oci
 * @param url          default {@code https://<host>} ({@code https://registry-1.docker.io} for docker.io)
 * @param username     optional
 * @param passwordFile optional, read at use
 * @param insecure     plain http / self-signed certificates; default false
 * @param concurrency  maximum concurrent requests; default 8
 * @param timeout      per request; default 10s
 */
public record RegistryConfig(String host, RegistrySettings.Type type, URI url, String username,
                             SecretFile passwordFile, boolean insecure, int concurrency, Duration timeout) {

    /** The settings the registry clients use; the password supplier reads the file at each use. */
    public RegistrySettings toSettings() {
        SecretFile secret = passwordFile;
        return new RegistrySettings(host, type, url, username, secret == null ? null : secret::read, insecure,
                concurrency, timeout);
    }
}
