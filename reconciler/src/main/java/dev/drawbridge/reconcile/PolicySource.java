package dev.drawbridge.reconcile;

import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.PoliciesConfig;
import dev.drawbridge.policy.GatePolicy;
import dev.drawbridge.policy.PolicyLoader;
import dev.drawbridge.source.GitRemote;
import dev.drawbridge.source.GitSource;
import dev.drawbridge.source.Revision;
import dev.drawbridge.source.SourceException;
import dev.drawbridge.values.EnvironmentName;
import dev.drawbridge.yaml.YamlProblem;
import dev.drawbridge.yaml.YamlValidationException;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Loads an environment's GatePolicy from the policy source ({@code policies.url} at {@code policies.branch},
 * file {@code <policies.path>/<environment>.yaml}), never from the branch being deployed. A policy that is
 * missing or does not validate is an error naming the file: there is no fallback to "no policy".
 */
final class PolicySource {

    /** The policy and the revision it was read at, or the errors that prevented loading it. */
    record Loaded(GatePolicy policy, String revision, List<String> errors) {
        boolean ok() {
            return policy != null;
        }
    }

    private static final long MAX_POLICY_BYTES = 1 << 20;

    private final GitSource source;
    private final Path workDir;
    /**
     * What each environment's policy file last loaded to, with the remote, revision and path it was read at: one per
     * environment however many there are, so a policy is parsed again only when its revision moves.
     */
    private final Map<EnvironmentName, Kept> loaded = new ConcurrentHashMap<>();

    private record Kept(String key, Loaded loaded) {
    }

    /** One daemon thread per policy load; loads are short and rare (one per run). */
    private static final Executor LOADER = task -> {
        Thread t = new Thread(task, "policy-load");
        t.setDaemon(true);
        t.start();
    };

    PolicySource(GitSource source, Path workDir) {
        this.source = source;
        this.workDir = workDir;
    }

    /** Starts loading the run's policy; it is fetched while the manifests are. */
    CompletableFuture<Loaded> start(Run run) {
        return CompletableFuture.supplyAsync(() -> load(run.config(), run.env().name()), LOADER);
    }

    Loaded load(DrawbridgeConfig config, EnvironmentName environment) {
        PoliciesConfig policies = config.policies();
        GitRemote remote = Remotes.of(policies);
        Revision revision;
        try {
            revision = source.resolve(remote, policies.branch(), workDir);
        } catch (SourceException e) {
            return new Loaded(null, null, List.of("policy source: " + e.getMessage()));
        }
        String name = Path.of(policies.path()).normalize() + "/" + environment + ".yaml";
        String key = remote.redactedUrl() + "\n" + policies.branch() + "\n" + revision.sha() + "\n" + name;
        Kept known = loaded.get(environment);
        if (known != null && known.key().equals(key)) {
            return known.loaded(); // a file at a revision does not change, nor what it loads to
        }
        Optional<byte[]> content;
        try {
            content = source.readFile(remote, revision, name, MAX_POLICY_BYTES, workDir);
        } catch (SourceException e) {
            return new Loaded(null, revision.sha(), List.of("policy source: " + e.getMessage())); // may work next time
        }
        Loaded result;
        if (content.isEmpty()) {
            result = new Loaded(null, revision.sha(), List.of(name + ": no policy for environment " + environment
                    + " in " + remote.redactedUrl() + " at " + policies.branch()
                    + " (every environment needs one; there is no default policy)"));
        } else {
            try {
                result = new Loaded(new PolicyLoader().load(name, content.get()), revision.sha(), List.of());
            } catch (YamlValidationException e) {
                result = new Loaded(null, revision.sha(), e.problems().stream().map(YamlProblem::toString).toList());
            }
        }
        loaded.put(environment, new Kept(key, result));
        return result;
    }
}
