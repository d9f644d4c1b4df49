package dev.drawbridge.config;

import dev.drawbridge.registry.PemFiles;
import dev.drawbridge.registry.RegistrySettings;
import dev.drawbridge.registry.TrustedKey;
import dev.drawbridge.yaml.MappingReader;

import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The trust settings of one {@code registries[]} entry, checked at start: {@code signed-by} (PEM public keys,
 * loaded now), {@code ca-file} (PEM CA certificates, loaded now) and {@code insecure} (plain http to a
 * loopback registry, nothing else). Each problem names the key, and for a file the file and what is wrong
 * with it, never its content.
 */
final class RegistryFiles {
    static final String LOOPBACK = "127.0.0.0/8, ::1 or localhost";

    private RegistryFiles() {
    }

    /** The keys of {@code signed-by}; only for {@code type: oci}, and at least one when given. */
    static List<TrustedKey> signedBy(MappingReader r, LocalFiles files, String typeName) {
        if (!r.has("signed-by")) {
            return List.of();
        }
        Path base = files.base(r, "signed-by");
        int problemsBefore = r.problems().count();
        List<List<TrustedKey>> perFile = r.list("signed-by", text -> keys(PathRules.localFile(text, base)), List.of());
        if ("harbor".equals(typeName)) {
            r.problem("signed-by", "is for oci registries only (Harbor's own scan is read from its API and needs no signature)");
            return List.of();
        }
        List<TrustedKey> keys = new ArrayList<>();
        perFile.forEach(keys::addAll);
        if (keys.isEmpty() && r.problems().count() == problemsBefore) {
            r.problem("signed-by", "must name at least one public key file (leave signed-by out to read reports unsigned)");
        }
        return keys;
    }

    /** The certificates of {@code ca-file}; only with an https URL. */
    static List<X509Certificate> caFile(MappingReader r, LocalFiles files, URI url) {
        Path file = files.file(r, "ca-file");
        if (file == null) {
            return List.of();
        }
        if (url != null && "http".equalsIgnoreCase(url.getScheme())) {
            r.problem("ca-file", "is used only with an https url, not " + url);
            return List.of();
        }
        try {
            return PemFiles.certificates(file);
        } catch (PemFiles.PemException e) {
            r.problem("ca-file", e.getMessage());
            return List.of();
        }
    }

    /**
     * {@code insecure: true} means "plain http allowed", and only for a loopback host: anything else is a
     * problem of {@code insecure}; plain http without it is a problem of {@code url}.
     */
    static boolean transportAllowed(MappingReader r, URI url, boolean insecure) {
        boolean http = "http".equalsIgnoreCase(url.getScheme());
        boolean loopback = RegistrySettings.isLoopback(url.getHost());
        if (insecure && !http) {
            r.problem("insecure", "allows plain http only, and the url is " + url.getScheme().toLowerCase(Locale.ROOT)
                    + "; certificates are never skipped (for a registry with its own certificate authority, use ca-file)");
            return false;
        }
        if (insecure && !loopback) {
            r.problem("insecure", "is allowed only for a loopback registry (" + LOOPBACK + "), not " + url.getHost()
                    + "; use https (with ca-file for a registry with its own certificate authority)");
            return false;
        }
        if (http && !insecure) {
            r.problem("url", loopback ? "plain http needs insecure: true (meant for loopback tests only)"
                    : "plain http is not allowed for " + url.getHost() + " (only for a loopback registry with insecure: true); use https");
            return false;
        }
        return true;
    }

    private static List<TrustedKey> keys(Path file) {
        try {
            return PemFiles.publicKeys(file);
        } catch (PemFiles.PemException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }
}
