package dev.drawbridge.registry;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * How to reach one registry host. The password is a supplier so that it is read at use (from a file)
 * and never held in a value that might be logged; {@link #toString()} never shows it.
 *
 * @param host           image host this applies to, e.g. {@code harbor.example.com} or {@code 127.0.0.1:5000}
 * @param type           where scan results come from
 * @param url            base URL of the registry (and of Harbor's API), e.g. {@code https://harbor.example.com}
 * @param username       optional user (Harbor robot accounts look like {@code robot$drawbridge})
 * @param password       optional; read at use
 * @param insecure       plain http allowed; only for a loopback URL ({@link #isLoopback(String)}). Certificates
 *                       are always checked: there is no "trust any certificate"
 * @param concurrency    maximum concurrent requests to this registry
 * @param timeout        per-request timeout
 * @param signedBy       OCI only: the keys whose signed attestations count; empty means reports are read
 *                       unsigned (and a warning says so)
 * @param caCertificates certificate authorities trusted for this registry on top of the JDK's default ones
 */
public record RegistrySettings(String host, Type type, URI url, String username, Supplier<String> password,
                               boolean insecure, int concurrency, Duration timeout, List<TrustedKey> signedBy,
                               List<X509Certificate> caCertificates) {

    public enum Type { HARBOR, OCI }

    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    public RegistrySettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(url, "url");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
        }
        if (insecure && !("http".equalsIgnoreCase(url.getScheme()) && isLoopback(url.getHost()))) {
            throw new IllegalArgumentException("insecure allows plain http to a loopback registry only, not " + url);
        }
        timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
        signedBy = signedBy == null ? List.of() : List.copyOf(signedBy);
        caCertificates = caCertificates == null ? List.of() : List.copyOf(caCertificates);
        if (!signedBy.isEmpty() && type != Type.OCI) {
            throw new IllegalArgumentException("signed-by is for oci registries only");
        }
    }

    /** Without trusted keys and extra certificate authorities. */
    public RegistrySettings(String host, Type type, URI url, String username, Supplier<String> password,
                            boolean insecure, int concurrency, Duration timeout) {
        this(host, type, url, username, password, insecure, concurrency, timeout, List.of(), List.of());
    }

    /** Defaults for a host with no configuration: anonymous OCI over https (Docker Hub's API host for docker.io). */
    public static RegistrySettings anonymous(String host) {
        String apiHost = host.equals("docker.io") ? "registry-1.docker.io" : host;
        return new RegistrySettings(host, Type.OCI, URI.create("https://" + apiHost), null, null, false, 8,
                Duration.ofSeconds(10));
    }

    /** The same settings with these trusted keys. */
    public RegistrySettings withSignedBy(List<TrustedKey> keys) {
        return new RegistrySettings(host, type, url, username, password, insecure, concurrency, timeout, keys,
                caCertificates);
    }

    /** The same settings with these extra certificate authorities. */
    public RegistrySettings withCaCertificates(List<X509Certificate> certificates) {
        return new RegistrySettings(host, type, url, username, password, insecure, concurrency, timeout, signedBy,
                certificates);
    }

    /**
     * Whether a URL's host is this machine's loopback interface by its literal name: {@code localhost},
     * an address of 127.0.0.0/8, or {@code ::1}. No name is resolved: a DNS answer cannot make a host loopback.
     */
    public static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost") || IPV4_LOOPBACK.matcher(h).matches() || h.equals("::1")
                || h.equals("0:0:0:0:0:0:0:1");
    }

    @Override
    public String toString() {
        return "RegistrySettings[host=" + host + ", type=" + type + ", url=" + url + ", username=" + username
                + ", password=" + (password == null ? "none" : "***") + ", insecure=" + insecure
                + ", signedBy=" + signedBy.stream().map(TrustedKey::name).toList()
                + ", caCertificates=" + caCertificates.size() + "]";
    }
}
