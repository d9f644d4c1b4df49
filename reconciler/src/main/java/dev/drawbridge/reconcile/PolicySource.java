package dev.drawbridge.reconcile;

import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.PoliciesConfig;
import dev.drawbridge.policy.GatePolicy;
import dev.drawbridge.policy.PolicyLoader;
import dev.drawbridge.source.GitRemote;
import dev.drawbridge.source.GitSource;
import dev.drawbridge.source.Revision;
import dev.drawbridge.source.SourceException;
import dev.drawbridge.yaml.YamlProblem;
import dev.drawbridge.yaml.YamlValidationException;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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

    PolicySource(GitSource source, Path workDir) {
        this.source = source;
        this.workDir = workDir;
    }

    Loaded load(DrawbridgeConfig config, String environment) {
        PoliciesConfig policies = config.policies();
        GitRemote remote = Remotes.of(policies);
        Revision revision;
        try {
            revision = source.resolve(remote, policies.branch(), workDir);
        } catch (SourceException e) {
            return new Loaded(null, null, List.of("policy source: " + e.getMessage()));
        }
        String name = Path.of(policies.path()).normalize() + "/" + environment + ".yaml";
        try {
            Optional<byte[]> content = source.readFile(remote, revision, name, MAX_POLICY_BYTES, workDir);
            if (content.isEmpty()) {
                return new Loaded(null, revision.sha(), List.of(name + ": no policy for environment " + environment
                        + " in " + remote.redactedUrl() + " at " + policies.branch()
                        + " (every environment needs one; there is no default policy)"));
            }
            return new Loaded(new PolicyLoader().load(name, content.get()), revision.sha(), List.of());
        } catch (SourceException e) {
            return new Loaded(null, revision.sha(), List.of("policy source: " + e.getMessage()));
        } catch (YamlValidationException e) {
            return new Loaded(null, revision.sha(), e.problems().stream().map(YamlProblem::toString).toList());
        }
    }
}
