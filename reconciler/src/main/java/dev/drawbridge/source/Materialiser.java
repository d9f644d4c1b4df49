package dev.drawbridge.source;

import dev.drawbridge.redact.Redactor;
import dev.drawbridge.threads.KeptThreads;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;

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
    /** Where slots' files are checked while their new revision is read (one stat per path, no waiting). */
    private static final ExecutorService CHECKS = KeptThreads.pool("slot-check", 2);

    private final Mirrors mirrors;
    private final TreePruner pruner;
    private final ConcurrentMap<String, Object> locks = new ConcurrentHashMap<>();
    /** What this process last wrote into each slot (its marker's revision and each path's entry), by directory. */
    private final ConcurrentMap<Path, SlotMarker.Held> written = new ConcurrentHashMap<>();
    /** The check of each slot's files that runs while its new revision is read, by directory. */
    private final ConcurrentMap<Path, CompletableFuture<Boolean>> checking = new ConcurrentHashMap<>();

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
     * subtrees), so a commit that changes one file of five hundred writes one file. When this process left the slot at
     * the revision its marker names, that check of every path runs while the new revision is read, not before:
     * {@link Checkout#intact()} then tells the reader whether to trust what it read (the marker is a check against
     * accidents, not a seal: whoever can write the files can write the marker too).
     */
    Checkout slot(GitRemote remote, Revision revision, Path workDir, String slot) throws SourceException {
        Path slots = workDir.resolve("slots");
        String name = Mirrors.shortHash(slot);
        Path dir = slots.resolve(name);
        Path marker = slots.resolve(name + ".sha");
        String sha = revision.sha();
        return materialising(remote, revision, dir, () -> {
            TreeFiles.createPrivateDirectories(slots);
            awaitCheck(dir);
            // The files of a slot this process left at one revision are checked while the next revision is read
            // (checkLater): the stat of every path then costs the reconcile nothing; otherwise they are checked now.
            SlotMarker.Held known = written.remove(dir);
            SlotMarker.Marked marked = known == null || sha.equals(known.sha()) ? null : SlotMarker.read(marker);
            boolean checkLater = marked != null && marked.says(known);
            SlotMarker.Held slotHeld = checkLater ? known : SlotMarker.held(marker, dir);
            String held = slotHeld == null ? null : slotHeld.sha();
            if (sha.equals(held)) {
                written.put(dir, slotHeld);
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
            SlotMarker.Held now = since != null
                    ? SlotMarker.write(marker, dir, sha, slotHeld, since.changedFiles()) // only the rewritten files read again
                    : SlotMarker.write(marker, dir, sha);
            written.put(dir, now);
            if (since == null || !checkLater) {
                return new Checkout(revision, dir, since);   // every path was read just now, or before the update
            }
            CompletableFuture<Boolean> check = CompletableFuture.supplyAsync(() -> check(dir, marker, now), CHECKS);
            checking.put(dir, check);
            return new Checkout(revision, dir, since, () -> answer(check));
        });
    }

    /**
     * Whether the files of {@code dir} are those of {@code now}, the marker just written. When they are not (a file was
     * changed behind Drawbridge's back before or during the update), the marker is removed, so the slot is written
     * whole at its next use, and false tells the reader of this revision not to use what it read.
     */
    private boolean check(Path dir, Path marker, SlotMarker.Held now) {
        if (SlotMarker.matches(dir, now)) {
            return true;
        }
        log.warn("slot {}: its files changed since revision {} was written; writing it whole again", dir, now.sha());
        written.remove(dir, now);
        try {
            Files.deleteIfExists(marker);
        } catch (IOException e) {
            log.warn("slot {}: could not remove its marker: {}", dir, e.toString());
        }
        return false;
    }

    /** A check of the slot's files still running: waited for before the slot is changed again. */
    private void awaitCheck(Path dir) {
        CompletableFuture<Boolean> check = checking.remove(dir);
        if (check != null) {
            answer(check);
        }
    }

    private static boolean answer(CompletableFuture<Boolean> check) {
        try {
            return check.join();
        } catch (RuntimeException e) {
            return false;
        }
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
