package dev.drawbridge.reconcile;

import dev.drawbridge.apply.DecisionRecord;
import dev.drawbridge.apply.DecisionStoreException;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.source.GitRemote;
import dev.drawbridge.source.GitSource;
import dev.drawbridge.source.SourceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The force-push guard: the head of an environment branch must be, or descend from, the revision last
 * applied to that environment. A branch whose history was rewritten (force-pushed) so that the running
 * revision is no longer in it is refused, and nothing is applied, until the branch is restored or the new
 * history is accepted once ({@link #acceptOnce}). The revision last applied is remembered here and, after a
 * restart or when it was accepted by another process, read from the environment's decision records.
 */
final class AppliedHistory {

    private static final Logger log = LoggerFactory.getLogger(AppliedHistory.class);

    private final GitSource source;
    private final DecisionStores stores;
    private final Map<String, String> applied = new ConcurrentHashMap<>();
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();

    AppliedHistory(GitSource source, DecisionStores stores) {
        this.source = source;
        this.stores = stores;
    }

    /** {@code revision} was applied to {@code environment}. */
    void applied(String environment, String revision) {
        if (revision != null) {
            applied.put(environment, revision);
        }
    }

    /** The next reconcile of {@code environment} takes its branch head even if its history was rewritten. */
    void acceptOnce(String environment) {
        accepted.add(environment);
    }

    /**
     * Why {@code head} must not be applied to {@code env}, or null when it may: it is (or descends from) the
     * revision last applied, nothing is known to have been applied, or a rewritten history was accepted.
     */
    String refuse(EnvironmentConfig env, GitRemote remote, String head, Path workDir) throws SourceException {
        boolean accept = accepted.remove(env.name());
        String last = applied.get(env.name());
        boolean fromRecords = last == null;
        if (fromRecords) {
            last = recorded(env).orElse(null);
            if (last == null) {
                return null; // never applied (as far as the records say): no history to keep
            }
            applied.put(env.name(), last);
        }
        if (source.contains(remote, head, last, workDir)) {
            return null;
        }
        // Accepted meanwhile by another process (reconcile --once --accept-force-push)? The records were not
        // read yet in this call when the revision came from memory.
        Optional<String> recorded = fromRecords ? Optional.empty() : recorded(env);
        if (recorded.isPresent() && !recorded.get().equals(last) && source.contains(remote, head, recorded.get(), workDir)) {
            applied.put(env.name(), recorded.get());
            return null;
        }
        if (accept) {
            log.warn("{}: branch {} was force-pushed ({} is no longer in its history); new history accepted at {}",
                    env.name(), env.branch(), abbreviate(last), abbreviate(head));
            return null;
        }
        return "branch " + env.branch() + " was force-pushed: the applied " + abbreviate(last)
                + " is not in its history (head " + abbreviate(head) + "); nothing applied. Restore the branch or"
                + " accept the new history: drawbridge reconcile --config FILE --env " + env.name()
                + " --once --accept-force-push";
    }

    private Optional<String> recorded(EnvironmentConfig env) {
        try {
            return stores.of(env).latestApplied(env.name()).map(DecisionRecord::revision);
        } catch (DecisionStoreException | RuntimeException e) {
            // Without records only what this process applied is known (a cluster without the CRD, unreachable).
            log.debug("{}: cannot read the last applied revision from the decision records: {}", env.name(), e.getMessage());
            return Optional.empty();
        }
    }

    private static String abbreviate(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }
}
