package dev.drawbridge.config;

import dev.drawbridge.values.EnvironmentName;
import dev.drawbridge.yaml.MappingReader;
import dev.drawbridge.yaml.Suggestions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads {@code environments:} and checks what spans environments: unique names, promotion chains. */
final class EnvironmentsReader {
    private final MappingReader top;
    private final LocalFiles files;
    private final Duration defaultInterval;

    EnvironmentsReader(MappingReader top, LocalFiles files, Duration defaultInterval) {
        this.top = top;
        this.files = files;
        this.defaultInterval = defaultInterval;
    }

    List<EnvironmentConfig> read() {
        List<MappingReader> readers = top.mappings("environments");
        if (readers.isEmpty() && top.problems().list().stream().noneMatch(p -> p.path().startsWith("environments"))) {
            top.problem("environments", "is required (at least one environment)");
        }
        Map<String, String> nameLines = new LinkedHashMap<>();
        Map<String, MappingReader> byName = new LinkedHashMap<>();
        List<EnvironmentConfig> environments = new ArrayList<>();
        for (MappingReader r : readers) {
            EnvironmentConfig env = environment(r);
            if (env == null) {
                continue;
            }
            String first = nameLines.putIfAbsent(env.name().value(), r.location("name"));
            if (first != null) {
                r.problem("name", "duplicate environment name \"" + env.name() + "\" (first at " + first + ")");
                continue;
            }
            byName.put(env.name().value(), r);
            environments.add(env);
        }
        checkPromotions(environments, byName);
        return environments;
    }

    private EnvironmentConfig environment(MappingReader r) {
        EnvironmentName name = r.requiredValue("name", EnvironmentName::of);
        String branch = r.requiredValue("branch", PathRules::branch);
        String path = r.requiredValue("path", PathRules::repositoryPath);
        MappingReader cluster = r.mapping("cluster");
        Path kubeconfig = files.file(cluster, "kubeconfig");
        String context = cluster.string("context");
        cluster.finish();
        boolean prune = r.bool("prune", true);
        Duration interval = r.duration("interval", defaultInterval);
        String promoteFrom = r.string("promote-from");
        boolean allowEmpty = r.bool("allow-empty", false);
        boolean wait = r.bool("wait", false);
        Duration healthTimeout = r.duration("health-timeout", Duration.ofMinutes(5));
        List<String> platforms = r.list("platforms", PathRules::platform, List.of());
        List<String> promotions = Arrays.stream(EnvironmentConfig.Promotion.values())
                .map(EnvironmentConfig.Promotion::configName).toList();
        String promotionName = r.oneOf("promotion", promotions, "none");
        EnvironmentConfig.Promotion promotion = promotionName == null ? EnvironmentConfig.Promotion.NONE
                : EnvironmentConfig.Promotion.valueOf(promotionName.toUpperCase(Locale.ROOT).replace('-', '_'));
        if (promotion != EnvironmentConfig.Promotion.NONE && promoteFrom == null && r.has("promotion")) {
            r.problem("promotion", "needs promote-from (the environment whose applied revisions are promoted here)");
        }
        r.finish();
        if (name == null || branch == null || path == null) {
            return null;
        }
        ClusterConfig clusterConfig = kubeconfig == null && context == null ? ClusterConfig.DEFAULT
                : new ClusterConfig(kubeconfig, context);
        // a promote-from that is no valid name is no environment's either: checkPromotions says so
        return new EnvironmentConfig(name, branch, path, clusterConfig, prune, interval,
                EnvironmentName.parse(promoteFrom).orElse(null), allowEmpty, wait,
                healthTimeout, platforms, promotion);
    }

    /** promote-from must name another environment, and following it must never come back. */
    private void checkPromotions(List<EnvironmentConfig> environments, Map<String, MappingReader> readers) {
        Map<String, String> from = new LinkedHashMap<>();
        for (EnvironmentConfig env : environments) {
            MappingReader r = readers.get(env.name().value());
            String source = r.string("promote-from");
            if (source == null) {
                continue;
            }
            if (source.equals(env.name().value())) {
                r.problem("promote-from", "an environment cannot promote from itself");
            } else if (!readers.containsKey(source)) {
                r.problem("promote-from", "unknown environment \"" + source + "\""
                        + Suggestions.hint(source, readers.keySet()) + " (environments: "
                        + String.join(", ", readers.keySet()) + ")");
            } else {
                from.put(env.name().value(), source);
            }
        }
        Set<String> reported = new HashSet<>();
        for (String start : from.keySet()) {
            List<String> chain = new ArrayList<>(List.of(start));
            String current = from.get(start);
            while (current != null && !current.equals(start) && !chain.contains(current)) {
                chain.add(current);
                current = from.get(current);
            }
            if (start.equals(current) && reported.add(start)) {
                reported.addAll(chain);
                chain.add(start);
                readers.get(start).problem("promote-from", "promotion cycle: " + String.join(" <- ", chain));
            }
        }
    }
}
