package dev.drawbridge.config;

import dev.drawbridge.yaml.MappingReader;

import java.util.List;

/**
 * The policies must not come from an environment branch of the deploy repository: whoever may push a change to
 * an environment could then change, in the same push, the policy that gates it. {@code policies} defaults to
 * {@code git.url} and {@code main}, so an environment deploying {@code main} needs a policy source of its own.
 * The repositories are compared by host and path ({@link Urls#sameRepository}), the branches by name.
 */
final class PolicySourceRule {

    private static final String HEADS = "refs/heads/";

    private PolicySourceRule() {
    }

    /** Reports {@code policies.branch} when the policy source is the branch of an environment. */
    static void check(MappingReader reader, PoliciesConfig policies, GitConfig git, List<EnvironmentConfig> environments) {
        if (policies == null || git == null || !Urls.sameRepository(policies.url(), git.url())) {
            return;
        }
        String branch = bare(policies.branch());
        for (EnvironmentConfig env : environments) {
            if (bare(env.branch()).equals(branch)) {
                reader.problem("branch", "the policies would be read from branch " + policies.branch() + " of "
                        + Urls.redacted(policies.url()) + ", which environment " + env.name() + " deploys: whoever"
                        + " may push to it could change the policy that gates it. Keep the policies on a branch no"
                        + " environment deploys (policies.branch, e.g. main) or in a repository of their own (policies.url)");
                return;
            }
        }
    }

    private static String bare(String branch) {
        return branch.startsWith(HEADS) ? branch.substring(HEADS.length()) : branch;
    }
}
