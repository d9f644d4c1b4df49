package dev.drawbridge.reconcile;

import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.decision.DecisionRecord;
import dev.drawbridge.decision.DecisionStoreException;
import dev.drawbridge.source.GitRemote;
import dev.drawbridge.source.GitSource;
import dev.drawbridge.source.SourceException;
import dev.drawbridge.values.CommitId;
import dev.drawbridge.values.EnvironmentName;
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
 * restart or when it was accepted by another process, read from the environment's decision records; where those
 * cannot be read nothing is applied ({@link Reason#APPLY_FAILED}, as for any cluster that cannot be reached; fail
 * closed: "unreadable" is never "nothing applied yet").
 */
final class AppliedHistory {

    private static final Logger log = LoggerFactory.getLogger(AppliedHistory.class);

    private final GitSource source;
    private final DecisionStores stores;
    private final Path workDir;
    private final Map<EnvironmentName, String> applied = new ConcurrentHashMap<>();
    private final Set<EnvironmentName> accepted = ConcurrentHashMap.newKeySet();

    AppliedHistory(GitSource source, DecisionStores stores, Path workDir) {
        this.source = source;
        this.stores = stores;
        this.workDir = workDir;
    }

    /** {@code revision} was applied to {@code environment}. */
    void applied(EnvironmentName environment, CommitId revision) {
        if (revision != null) {
            applied.put(environment, revision.hex());
        }
    }

    /** The next reconcile of {@code environment} takes its branch head even if its history was rewritten. */
    void acceptOnce(EnvironmentName environment) {
        accepted.add(environment);
    }

    /**
     * Stage {@code guard} of a reconcile: the fetched head may be applied when it is (or descends from) the revision
     * last applied, the records say nothing was applied yet, or a rewritten history was accepted; otherwise the run
     * ends with {@link Reason#FORCE_PUSHED}. Where the decision records cannot be read the history cannot be checked:
     * that ends the run too ({@link Reason#APPLY_FAILED}, fail closed), and an acceptance asked for is kept for the
     * next reconcile. Checks and local directories have no history to keep.
     */
    void guard(Run run, SourceStage.Tree tree) throws StageFailure {
        if (!run.reconciles() || tree.remote() == null || tree.revision() == null) {
            return;
        }
        try {
            HeadRefusal refused = refuse(run.env(), tree.remote(), tree.revision().hex());
            if (refused != null) {
                throw new StageFailure(refused.reason(), refused.message());
            }
        } catch (SourceException e) {
            throw new StageFailure(Reason.SOURCE_FAILED, "source: " + e.getMessage());
        }
    }

    /** Why the fetched head must not be used; the message starts with the stage it is about. */
    private record HeadRefusal(Reason reason, String message) {
    }

    private HeadRefusal refuse(EnvironmentConfig env, GitRemote remote, String head) throws SourceException {
        boolean accept = accepted.remove(env.name());
        String last = applied.get(env.name());
        boolean fromRecords = last == null;
        Optional<String> recorded = Optional.empty();
        if (fromRecords) {
            try {
                recorded = recorded(env);
            } catch (DecisionStoreException | RuntimeException e) {
                return unreadable(env, accept, e);
            }
            last = recorded.orElse(null);
            if (last == null) {
                return null; // never applied (the records say so): no history to keep
            }
            applied.put(env.name(), last);
        }
        if (source.contains(remote, head, last, workDir)) {
            return null;
        }
        // Accepted meanwhile by another process (reconcile --once --accept-force-push)? The records were not
        // read yet in this call when the revision came from memory.
        if (!fromRecords) {
            try {
                recorded = recorded(env);
            } catch (DecisionStoreException | RuntimeException e) {
                return unreadable(env, accept, e);
            }
        }
        if (recorded.isPresent() && !recorded.get().equals(last) && source.contains(remote, head, recorded.get(), workDir)) {
            applied.put(env.name(), recorded.get());
            return null;
        }
        if (accept) {
            log.warn("{}: branch {} was force-pushed ({} is no longer in its history); new history accepted at {}",
                    env.name(), env.branch(), abbreviate(last), abbreviate(head));
            return null;
        }
        return new HeadRefusal(Reason.FORCE_PUSHED, "source: branch " + env.branch() + " was force-pushed: the applied "
                + abbreviate(last) + " is not in its history (head " + abbreviate(head) + "); nothing applied. Restore the"
                + " branch or accept the new history: drawbridge reconcile --config FILE --env " + env.name()
                + " --once --accept-force-push");
    }

    /** The revision last applied according to the records; empty when they hold none. */
    private Optional<String> recorded(EnvironmentConfig env) throws DecisionStoreException {
        return stores.of(env).latestApplied(env.name()).map(DecisionRecord::revision);
    }

    private HeadRefusal unreadable(EnvironmentConfig env, boolean accept, Exception e) {
        if (accept) {
            accepted.add(env.name()); // not used up: the history was not checked
        }
        return new HeadRefusal(Reason.APPLY_FAILED, "cluster: the decision records of " + env.name()
                + " could not be read, so the history of branch " + env.branch() + " cannot be checked against the"
                + " revision last applied; nothing applied: " + e.getMessage());
    }

    private static String abbreviate(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }
}
