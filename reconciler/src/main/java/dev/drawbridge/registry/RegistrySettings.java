package dev.drawbridge.registry;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How to reach one registry host. The password is a supplier so that it is read at use (from a file)
 * and never held in a value that might be logged; {@link #toString()} never shows it.
 *
 * @param host        image host this applies to, e.g. {@code harbor.example.com} or {@code 127.0.0.1:5000}
 * @param type        where scan results come from
 * @param url         base URL of the registry (and of Harbor's API), e.g. {@code https://harbor.example.com}
 * @param username    optional user (Harbor robot accounts look like {@code robot$drawbridge})
 * @param password    optional; read at use
 * @param insecure    allow plain http and self-signed certificates (loopback tests only)
 * @param concurrency maximum concurrent requests to this registry
 * @param timeout     per-request timeout
 */
public record RegistrySettings(String host, Type type, URI url, String username, Supplier<String> password,
                               boolean insecure, int concurrency, Duration timeout) {

    public enum Type { HARBOR, OCI }

    public RegistrySettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(url, "url");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
        }
        timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
    }

    /** Defaults for a host with no configuration: anonymous OCI over https (Docker Hub's API host for docker.io). */
    public static RegistrySettings anonymous(String host) {
        String apiHost = host.equals("docker.io") ? "registry-1.docker.io" : host;
        return new RegistrySettings(host, Type.OCI, URI.create("https://" + apiHost), null, null, false, 8,
                Duration.ofSeconds(10));
    }

    @Override
    public String toString() {
        return "RegistrySettings[host=" + host + ", type=" + type + ", url=" + url + ", username=" + username
                + ", password=" + (password == null ? "none" : "***") + ", insecure=" + insecure + "]";
    }
}
