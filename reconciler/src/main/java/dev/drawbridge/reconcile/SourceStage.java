package dev.drawbridge.reconcile;

import dev.drawbridge.source.Checkout;
import dev.drawbridge.source.GitRemote;
import dev.drawbridge.source.GitSource;
import dev.drawbridge.source.LocalDirectory;
import dev.drawbridge.source.LocalTree;
import dev.drawbridge.source.Revision;
import dev.drawbridge.source.SourceException;
import dev.drawbridge.values.CommitId;
import dev.drawbridge.values.EnvironmentName;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Stage {@code source}: the manifests of a run, at its branch head or in a local directory. A reconcile reads
 * the environment's own tree, updated in place from one revision to the next when it is read; that tree is the
 * run's until it closes it, so reconciles of one environment take turns here. Checks get one tree per revision.
 */
final class SourceStage {

    private final GitSource source;
    private final Path workDir;
    private final Map<EnvironmentName, ReentrantLock> slots = new ConcurrentHashMap<>();

    SourceStage(GitSource source, Path workDir) {
        this.source = source;
        this.workDir = workDir;
    }

    /** Brings a tree to its revision when it is first read. */
    @FunctionalInterface
    private interface Materialise {
        Checkout checkout() throws SourceException;
    }

    /**
     * The tree being read, and the path in it to render. A reconcile's tree is brought to its revision only when it
     * is first read ({@link #checkout}): a render kept for the revision reads nothing. Closing it lets the next run
     * of the environment have its tree.
     */
    static final class Tree implements AutoCloseable {
        private final CommitId revision;
        private final Materialise materialise;
        private final String path;
        private final GitRemote remote;
        private final ReentrantLock slot;
        private Checkout checkout;

        private Tree(CommitId revision, Materialise materialise, String path, GitRemote remote, ReentrantLock slot) {
            this.revision = revision;
            this.materialise = materialise;
            this.path = path;
            this.remote = remote;
            this.slot = slot;
        }

        private static Tree of(Checkout checkout, String path, GitRemote remote) {
            Tree tree = new Tree(checkout.revision() == null ? null : checkout.revision().commit(), null, path, remote, null);
            tree.checkout = checkout;
            return tree;
        }

        /** The files of the tree, at its revision. */
        Checkout checkout() throws SourceException {
            if (checkout == null) {
                checkout = materialise.checkout();
            }
            return checkout;
        }

        /**
         * The files of the tree written again, when what was read from them cannot be trusted ({@link Checkout#intact()}
         * was false: the source then writes the tree whole).
         */
        Checkout checkoutAgain() throws SourceException {
            if (materialise == null) {   // a check's tree or a local directory: checked before it is handed out
                throw new IllegalStateException("only a reconcile's tree is checked while it is read");
            }
            checkout = materialise.checkout();
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
            return revision;
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
                return Tree.of(local.checkout(), local.path(), null);
            }
            GitRemote remote = Remotes.of(run.config().git());
            if (!run.reconciles()) {
                return Tree.of(source.checkout(remote, run.ref(), workDir), run.env().path(), remote);
            }
            ReentrantLock slot = slots.computeIfAbsent(run.env().name(), name -> new ReentrantLock());
            slot.lock();
            try {
                Revision head = source.resolve(remote, run.ref(), workDir);
                String name = "environment/" + run.env().name();
                return new Tree(head.commit(), () -> source.materialise(remote, head, workDir, name), run.env().path(), remote, slot);
            } catch (SourceException | RuntimeException e) {
                slot.unlock();
                throw e;
            }
        } catch (SourceException e) {
            throw new StageFailure(Reason.SOURCE_FAILED, "source: " + e.getMessage());
        }
    }
}
