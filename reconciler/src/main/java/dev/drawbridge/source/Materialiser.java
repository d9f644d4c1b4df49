package dev.drawbridge.source;

import dev.drawbridge.redact.Redactor;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Writes the tree of a fetched revision into the work directory, blob by blob ({@link TreeFiles}), in one of two
 * places: {@code trees/<sha>}, one directory per revision, of which only the {@code keepTrees} most recently used
 * are kept ({@link TreePruner}), so a tree still being rendered is removed only after that many newer ones were
 * materialised in the same work directory; or {@code slots/<hash of a name>}, a tree its one user (a reconcile of
 * one environment) brings from revision to revision in place, with {@code slots/<hash>.sha} naming the revision it
 * holds whole ({@link SlotMarker}). These directories are created {@code 0700}; writes of one directory are
 * serialised.
 */
final class Materialiser {

    private static final Logger log = LoggerFactory.getLogger(Materialiser.class);

    private final Mirrors mirrors;
    private final TreePruner pruner;
    private final ConcurrentMap<String, Object> locks = new ConcurrentHashMap<>();

    /** @param keepTrees how many materialised trees to keep per work directory, at least one */
    Materialiser(int keepTrees, Mirrors mirrors) {
        if (keepTrees < 1) {
            throw new IllegalArgumentException("Invalid number of trees to keep: " + keepTrees + " (at least 1)");
        }
        this.mirrors = mirrors;
        this.pruner = new TreePruner(keepTrees, this::lock);
    }

    /** Materialises a fetched revision into {@code workDir/trees/<sha>}; reuses the directory when it exists. */
    Checkout tree(GitRemote remote, Revision revision, Path workDir) throws SourceException {
        Path trees = workDir.resolve("trees");
        Path target = trees.resolve(revision.sha());
        return materialising(remote, revision, target, () -> {
            TreeFiles.createPrivateDirectories(trees);
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                Files.setLastModifiedTime(target, FileTime.from(Instant.now()));
            } else {
                Path temp = Files.createTempDirectory(trees, ".tmp-" + revision.sha().substring(0, 12) + "-");
                try (Repository repo = mirrors.open(remote, workDir)) {
                    TreeFiles.writeTree(repo, ObjectId.fromString(revision.sha()), temp, TreeFiles.latestTree(trees));
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException | RuntimeException e) {
                    TreeFiles.deleteRecursively(temp);
                    throw e;
                }
            }
            pruner.pruneLater(trees, target);
            return new Checkout(revision, target);
        });
    }

    /**
     * Brings the slot's directory ({@code workDir/slots/<hash of the slot's name>}) to the tree of
     * {@code revision}. The revision the slot holds is written beside it ({@code <hash>.sha}) once the tree is
     * complete and removed before it is changed, so a slot left half-written (a crash, a full disk) is written
     * whole at its next use. Beside the revision the marker holds a fingerprint of the slot's files (each path
     * with its size and modification time, read with one stat per file as Git's index does): a slot whose files
     * were changed, added or removed behind Drawbridge's back is written whole too, so what is rendered is what
     * Git holds. Between two revisions only what differs is touched (a tree walk that skips the unchanged
     * subtrees), so a commit that changes one file of five hundred writes one file.
     */
    Checkout slot(GitRemote remote, Revision revision, Path workDir, String slot) throws SourceException {
        Path slots = workDir.resolve("slots");
        String name = Mirrors.shortHash(slot);
        Path dir = slots.resolve(name);
        Path marker = slots.resolve(name + ".sha");
        String sha = revision.sha();
        return materialising(remote, revision, dir, () -> {
            TreeFiles.createPrivateDirectories(slots);
            SlotMarker.Held slotHeld = SlotMarker.held(marker, dir);
            String held = slotHeld == null ? null : slotHeld.sha();
            if (sha.equals(held)) {
                return new Checkout(revision, dir, new Checkout.Since(sha, Set.of()));
            }
            Files.deleteIfExists(marker);
            Checkout.Since since = null;
            try (Repository repo = mirrors.open(remote, workDir)) {
                ObjectId commit = ObjectId.fromString(sha);
                boolean updated = false;
                if (held != null && repo.getObjectDatabase().has(ObjectId.fromString(held))) {
                    try {
                        since = TreeFiles.updateTree(repo, ObjectId.fromString(held), commit, dir);
                        updated = true;
                    } catch (MissingObjectException e) {
                        // the held revision's trees are gone (a local repository pruned by git gc): written whole
                        log.debug("slot {}: revision {} no longer readable, writing {} whole", slot, held, sha);
                    }
                }
                if (!updated) {
                    TreeFiles.deleteRecursively(dir);
                    Files.createDirectories(dir);
                    TreeFiles.writeTree(repo, commit, dir, Optional.empty());
                }
            } catch (IOException | RuntimeException e) {
                deleteQuietly(dir);
                throw e;
            }
            if (since != null) {
                SlotMarker.write(marker, dir, sha, slotHeld, since.changedFiles()); // only the rewritten files read again
            } else {
                SlotMarker.write(marker, dir, sha);
            }
            return new Checkout(revision, dir, since);
        });
    }

    /** Writes a tree into a directory of the work directory. */
    @FunctionalInterface
    private interface TreeWrite {
        Checkout write() throws IOException;
    }

    /**
     * Runs {@code write} for a valid commit sha under the lock of its directory {@code dir}, and turns what can
     * go wrong into one clear, redacted {@link SourceException}.
     */
    private Checkout materialising(GitRemote remote, Revision revision, Path dir, TreeWrite write) throws SourceException {
        String url = remote.redactedUrl();
        if (!Revision.isSha(revision.sha())) {
            throw new SourceException(url, revision.branch(), "Invalid commit sha: " + revision.sha());
        }
        Redactor redactor = remote.redactor(null, null);
        synchronized (lock(dir)) {
            try {
                return write.write();
            } catch (MissingObjectException e) {
                throw new SourceException(url, revision.branch(), "revision " + revision
                        + " has not been fetched from " + url + "; fetch its branch first", redactor.redactChain(e));
            } catch (TreeFiles.UnsafePathException e) {
                throw new SourceException(url, revision.branch(), "revision " + revision + " of " + url
                        + " holds an unsafe path: " + e.getMessage());
            } catch (IOException | RuntimeException e) {
                throw new SourceException(url, revision.branch(), "could not materialise " + revision + " of " + url
                        + ": " + redactor.summary(e, url), redactor.redactChain(e));
            }
        }
    }

    private Object lock(Path path) {
        return locks.computeIfAbsent(path.toAbsolutePath().normalize().toString(), k -> new Object());
    }

    private static void deleteQuietly(Path root) {
        try {
            TreeFiles.deleteRecursively(root);
        } catch (IOException e) {
            log.debug("could not delete {}: {}", root, e.toString());
        }
    }
}
