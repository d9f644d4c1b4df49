package dev.drawbridge.reconcile;

import dev.drawbridge.source.Checkout;
import dev.drawbridge.source.GitRemote;
import dev.drawbridge.source.GitSource;
import dev.drawbridge.source.LocalDirectory;
import dev.drawbridge.source.LocalTree;
import dev.drawbridge.source.SourceException;
import dev.drawbridge.values.CommitId;
import dev.drawbridge.values.EnvironmentName;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Stage {@code source}: the manifests of a run, at its branch head or in a local directory. A reconcile reads
 * the environment's own tree, updated in place from one revision to the next; that tree is the run's until it
 * closes it, so reconciles of one environment take turns here. Checks get one tree per revision.
 */
final class SourceStage {

    private final GitSource source;
    private final Path workDir;
    private final Map<EnvironmentName, ReentrantLock> slots = new ConcurrentHashMap<>();

    SourceStage(GitSource source, Path workDir) {
        this.source = source;
        this.workDir = workDir;
    }

    /**
     * The tree being read, and the path in it to render. Closing it lets the next run of the environment have
     * its tree.
     */
    static final class Tree implements AutoCloseable {
        private final Checkout checkout;
        private final String path;
        private final GitRemote remote;
        private final ReentrantLock slot;

        private Tree(Checkout checkout, String path, GitRemote remote, ReentrantLock slot) {
            this.checkout = checkout;
            this.path = path;
            this.remote = remote;
            this.slot = slot;
        }

        Checkout checkout() {
            return checkout;
        }

        String path() {
            return path;
        }

        /** Where the branch was fetched from; null for a local directory. */
        GitRemote remote() {
            return remote;
        }

        /** The commit; null for a local directory outside a Git work tree. */
        CommitId revision() {
            return checkout.revision() == null ? null : checkout.revision().commit();
        }

        @Override
        public void close() {
            if (slot != null) {
                slot.unlock();
            }
        }
    }

    Tree checkout(Run run) throws StageFailure {
        try {
            if (run.options().dir() != null) {
                LocalTree local = LocalDirectory.checkout(run.options().dir());
                return new Tree(local.checkout(), local.path(), null, null);
            }
            GitRemote remote = Remotes.of(run.config().git());
            if (!run.reconciles()) {
                return new Tree(source.checkout(remote, run.ref(), workDir), run.env().path(), remote, null);
            }
            ReentrantLock slot = slots.computeIfAbsent(run.env().name(), name -> new ReentrantLock());
            slot.lock();
            try {
                Checkout checkout = source.checkout(remote, run.ref(), workDir, "environment/" + run.env().name());
                return new Tree(checkout, run.env().path(), remote, slot);
            } catch (SourceException | RuntimeException e) {
                slot.unlock();
                throw e;
            }
        } catch (SourceException e) {
            throw new StageFailure(Reason.SOURCE_FAILED, "source: " + e.getMessage());
        }
    }
}
