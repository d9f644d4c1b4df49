package dev.drawbridge.reconcile;

import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.config.ForgeConfig;
import dev.drawbridge.source.GitRemote;
import dev.drawbridge.source.GitSource;
import dev.drawbridge.source.SourceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Finds pull-request heads with plain Git, for setups whose webhooks do not reach Drawbridge: the refs
 * {@code refs/pull/*}{@code /head} (GitHub, Gitea) or {@code refs/merge-requests/*}{@code /head} (GitLab)
 * of the deploy repository. Each new head is checked against the environment whose branch it was cut
 * from: Git does not record a pull request's base, so that is the environment branch sharing the newest
 * common ancestor with the head, preferring a branch whose head is that ancestor; environments still
 * tied (the same commit, e.g. after a fast-forward promotion) are all checked, each under its own status
 * context. Webhooks, which name the base, remain the precise way.
 */
public final class PullRequestPoller {

    /**
     * Where promotion requests come from: {@code drawbridge/promote/<environment>}. A pull-request head that is the
     * head of such a branch is checked against that environment, whatever its history says.
     */
    public static final String PROMOTION_BRANCH_PREFIX = "drawbridge/promote/";

    private static final Logger log = LoggerFactory.getLogger(PullRequestPoller.class);

    private final DrawbridgeConfig config;
    private final GitSource source;
    private final Predicate<PullRequestChecks.Request> checks;
    private final Path workDir;
    private final Map<String, String> seen = new ConcurrentHashMap<>();

    /** @param checks queues a check; false when it was refused (a full queue): the head is then tried again next poll */
    public PullRequestPoller(DrawbridgeConfig config, GitSource source, Predicate<PullRequestChecks.Request> checks,
                             Path workDir) {
        this.config = config;
        this.source = source;
        this.checks = checks;
        this.workDir = workDir;
    }

    /** Looks for new or moved pull-request heads and submits their checks; never throws. */
    public void poll() {
        GitRemote remote = Remotes.of(config.git());
        Map<String, String> promotions = promotionHeads(remote);
        for (String pattern : patterns()) {
            Map<String, String> heads;
            try {
                heads = source.listRemoteRefs(remote, pattern);
            } catch (SourceException e) {
                log.warn("pull requests: could not list {}: {}", pattern, e.getMessage());
                continue;
            }
            heads.forEach((ref, sha) -> {
                if (sha.equals(seen.get(ref))) {
                    return;
                }
                try {
                    List<EnvironmentConfig> promotedTo = config.environments().stream()
                            .filter(e -> sha.equals(promotions.get(e.name().value()))).toList();
                    boolean queued = true;
                    for (EnvironmentConfig env : promotedTo.isEmpty() ? bases(remote, ref, sha) : promotedTo) {
                        queued &= checks.test(new PullRequestChecks.Request(env, ref, sha));
                    }
                    if (queued) {
                        seen.put(ref, sha); // a refused check is not seen: the next poll submits it again
                    }
                } catch (SourceException e) {
                    log.warn("pull requests: could not check {}: {}", ref, e.getMessage());
                }
            });
        }
    }

    /** Environment -> the head of its promotion branch, for the environments that have one. */
    private Map<String, String> promotionHeads(GitRemote remote) {
        String prefix = "refs/heads/" + PROMOTION_BRANCH_PREFIX;
        try {
            Map<String, String> heads = new java.util.HashMap<>();
            source.listRemoteRefs(remote, prefix + "*").forEach((ref, sha) -> heads.put(ref.substring(prefix.length()), sha));
            return heads;
        } catch (SourceException e) {
            log.debug("pull requests: could not list the promotion branches: {}", e.getMessage());
            return Map.of();
        }
    }

    private List<String> patterns() {
        ForgeConfig forge = config.forge();
        ForgeConfig.Type type = forge == null ? ForgeConfig.Type.NONE : forge.type();
        return switch (type) {
            case GITLAB -> List.of("refs/merge-requests/*/head");
            case GITHUB, GITEA -> List.of("refs/pull/*/head");
            case GIT_NOTES, NONE -> List.of("refs/pull/*/head", "refs/merge-requests/*/head");
        };
    }

    /**
     * The environments whose branch shares the newest common ancestor with the head (none when the head is
     * already an environment's head). "Newest" is by ancestry, not by clock: a merge base that is an
     * ancestor of another environment's merge base is older.
     */
    List<EnvironmentConfig> bases(GitRemote remote, String ref, String sha) throws SourceException {
        source.fetch(remote, ref, workDir);
        Map<EnvironmentConfig, String> baseOf = new java.util.LinkedHashMap<>();
        Map<EnvironmentConfig, String> headOf = new java.util.HashMap<>();
        for (EnvironmentConfig env : config.environments()) {
            String head = source.resolve(remote, env.branch(), workDir).sha();
            if (head.equals(sha)) {
                return List.of();
            }
            headOf.put(env, head);
            source.mergeBase(remote, sha, head, workDir).ifPresent(base -> baseOf.put(env, base.sha()));
        }
        List<EnvironmentConfig> newest = new ArrayList<>();
        for (Map.Entry<EnvironmentConfig, String> candidate : baseOf.entrySet()) {
            boolean older = false;
            for (String other : baseOf.values()) {
                if (!other.equals(candidate.getValue()) && isAncestor(remote, candidate.getValue(), other)) {
                    older = true;
                    break;
                }
            }
            if (!older) {
                newest.add(candidate.getKey());
            }
        }
        // among those, a branch whose head is the merge base itself is the one the head was cut from
        List<EnvironmentConfig> cutFromHead = newest.stream().filter(e -> headOf.get(e).equals(baseOf.get(e))).toList();
        return cutFromHead.isEmpty() ? newest : cutFromHead;
    }

    private boolean isAncestor(GitRemote remote, String ancestor, String of) throws SourceException {
        return source.mergeBase(remote, ancestor, of, workDir).map(b -> b.sha().equals(ancestor)).orElse(false);
    }
}
