package dev.drawbridge.reconcile;

import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.PoliciesConfig;
import dev.drawbridge.policy.GatePolicy;
import dev.drawbridge.policy.PolicyLoader;
import dev.drawbridge.source.Checkout;
import dev.drawbridge.source.GitRemote;
import dev.drawbridge.source.GitSource;
import dev.drawbridge.source.SourceException;
import dev.drawbridge.yaml.YamlProblem;
import dev.drawbridge.yaml.YamlValidationException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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

    private final GitSource source;
    private final Path workDir;

    PolicySource(GitSource source, Path workDir) {
        this.source = source;
        this.workDir = workDir;
    }

    Loaded load(DrawbridgeConfig config, String environment) {
        PoliciesConfig policies = config.policies();
        GitRemote remote = Remotes.of(policies.url(), policies.username(), policies.passwordFile());
        Checkout checkout;
        try {
            checkout = source.checkout(remote, policies.branch(), workDir);
        } catch (SourceException e) {
            return new Loaded(null, null, List.of("policy source: " + e.getMessage()));
        }
        String revision = checkout.revision() == null ? null : checkout.revision().sha();
        String name = policies.path() + "/" + environment + ".yaml";
        Path file = checkout.root().resolve(policies.path()).resolve(environment + ".yaml");
        if (!Files.isRegularFile(file)) {
            return new Loaded(null, revision, List.of(name + ": no policy for environment " + environment + " in "
                    + remote.redactedUrl() + " at " + policies.branch() + " (every environment needs one; there is no default policy)"));
        }
        try {
            return new Loaded(new PolicyLoader().load(file, name), revision, List.of());
        } catch (YamlValidationException e) {
            return new Loaded(null, revision, e.problems().stream().map(YamlProblem::toString).toList());
        } catch (IOException e) {
            return new Loaded(null, revision, List.of(name + ": cannot read the policy: " + e.getMessage()));
        }
    }
}
