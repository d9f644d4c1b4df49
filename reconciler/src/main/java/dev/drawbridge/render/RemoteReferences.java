package dev.drawbridge.render;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Recognises the remote targets Kustomize would fetch (git repositories, HTTP URLs, go-getter style
 * {@code scheme::address}). Errs on the side of "remote": a gate must never let a build pull content
 * that is not in the reviewed commit.
 */
final class RemoteReferences {

    private static final List<String> PREFIXES = List.of(
            "git::", "git@", "github.com/", "gitlab.com/", "bitbucket.org/", "ssh:", "https:", "http:", "file:");
    private static final List<String> QUERY_KEYS = List.of("?ref=", "?version=", "?timeout=", "?submodules=", "&ref=");
    /** {@code host.tld/...} as first segment, as in {@code example.com/org/repo//path?ref=v1}. */
    private static final Pattern HOST_FIRST_SEGMENT = Pattern.compile("[a-z0-9-]+(\\.[a-z0-9-]+)+(:[0-9]+)?");
    /** go-getter's forced getter: {@code git::}, {@code s3::}, {@code gcs::}, {@code hg::}. */
    private static final Pattern FORCED_GETTER = Pattern.compile("[a-z0-9+.-]+::.*");
    /** scp-like git address: {@code user@host:org/repo}. */
    private static final Pattern SCP_LIKE = Pattern.compile("[\\w.-]+@[\\w.-]+:.*");

    private RemoteReferences() {
    }

    static boolean isRemote(String entry) {
        String e = entry.strip().toLowerCase(Locale.ROOT);
        if (e.contains("://") || SCP_LIKE.matcher(e).matches() || FORCED_GETTER.matcher(e).matches()) {
            return true;
        }
        for (String prefix : PREFIXES) {
            if (e.startsWith(prefix)) {
                return true;
            }
        }
        for (String key : QUERY_KEYS) {
            if (e.contains(key)) {
                return true;
            }
        }
        int slash = e.indexOf('/');
        if (slash < 0) {
            return false; // a file name with dots (`run.sh`, `app.properties`) is not a host
        }
        String first = e.substring(0, slash);
        // a local directory may contain dots (`base.v2`), so the host form needs a `//` subpath or a
        // `/org/repo` shape after it, as Kustomize's own host heuristics do
        return HOST_FIRST_SEGMENT.matcher(first).matches()
                && (e.contains("//") || first.matches(".*\\.(com|org|net|io|dev|cloud|sh)(:[0-9]+)?"));
    }
}
