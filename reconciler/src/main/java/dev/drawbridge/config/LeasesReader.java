package dev.drawbridge.config;

import dev.drawbridge.yaml.MappingReader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads {@code leases:}; defaults come from the pod (its namespace, the host name) where it runs in one. */
final class LeasesReader {

    static final Duration DEFAULT_DURATION = Duration.ofSeconds(15);
    static final String DEFAULT_NAMESPACE = "drawbridge-system";
    private static final Path POD_NAMESPACE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    /** A Lease holder identity: what fits in a label value and a Lease name's suffix, dots allowed. */
    private static final Pattern IDENTITY = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

    private final MappingReader reader;
    private final LocalFiles files;
    private final List<EnvironmentConfig> environments;
    private final UnaryOperator<String> env;

    LeasesReader(MappingReader reader, LocalFiles files, List<EnvironmentConfig> environments) {
        this(reader, files, environments, System::getenv);
    }

    LeasesReader(MappingReader reader, LocalFiles files, List<EnvironmentConfig> environments, UnaryOperator<String> env) {
        this.reader = reader;
        this.files = files;
        this.environments = environments;
        this.env = env;
    }

    LeasesConfig read() {
        String namespace = reader.value("namespace", PathRules::namespace, null);
        Duration duration = reader.duration("duration", DEFAULT_DURATION);
        String identity = reader.has("identity") ? identity(reader.requiredString("identity")) : hostName();
        MappingReader cluster = reader.mapping("cluster");
        Path kubeconfig = files.file(cluster, "kubeconfig");
        String context = cluster.string("context");
        cluster.finish();
        Duration renew = reader.duration("renew", duration.dividedBy(3));
        if (duration.compareTo(Duration.ofSeconds(2)) < 0) {
            reader.problem("duration", "must be at least 2s (it was " + duration + ")");
        }
        if (renew.isZero() || renew.isNegative() || renew.compareTo(duration) >= 0) {
            reader.problem("renew", "must be shorter than leases.duration (" + duration.toSeconds() + "s)");
        }
        reader.finish();
        ClusterConfig where = kubeconfig != null || context != null ? new ClusterConfig(kubeconfig, context)
                : env.apply("KUBERNETES_SERVICE_HOST") != null || environments.isEmpty() ? ClusterConfig.DEFAULT
                : environments.get(0).cluster();
        return new LeasesConfig(namespace != null ? namespace : podNamespace(), duration, identity, where, renew);
    }

    /** {@code ${POD_NAME}} and the like are read from the environment; an unset variable is an error. */
    private String identity(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.apply(m.group(1));
            if (value == null || value.isEmpty()) {
                reader.problem("identity", "the environment variable " + m.group(1) + " is not set (in a pod, set it "
                        + "from the downward API: fieldRef metadata.name)");
                return null;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        String identity = out.toString();
        if (!IDENTITY.matcher(identity).matches()) {
            reader.problem("identity", "\"" + identity + "\" is not a valid identity (letters, digits, '-', '_', '.'; "
                    + "at most 63 characters)");
            return null;
        }
        return identity;
    }

    private String hostName() {
        String host = env.apply("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "drawbridge";
            }
        }
        return IDENTITY.matcher(host).matches() ? host : "drawbridge";
    }

    private String podNamespace() {
        String fromEnv = env.apply("POD_NAMESPACE");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        try {
            if (Files.isReadable(POD_NAMESPACE)) {
                return Files.readString(POD_NAMESPACE, StandardCharsets.UTF_8).trim();
            }
        } catch (IOException e) {
            // not in a pod
        }
        return DEFAULT_NAMESPACE;
    }
}
