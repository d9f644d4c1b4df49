package dev.drawbridge.source;

import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One regular file of a fetched revision, read from where the remote's objects are kept ({@link Mirrors}) without
 * materialising the tree (e.g. a policy file from the policy repository).
 */
final class RevisionFiles {

    private final Mirrors mirrors;

    RevisionFiles(Mirrors mirrors) {
        this.mirrors = mirrors;
    }

    /**
     * The bytes of the regular file at {@code path} in {@code revision}; empty when there is none (no entry, or a
     * directory, a symlink or a submodule there).
     *
     * @param maxBytes a file larger than this is an error
     */
    Optional<byte[]> read(GitRemote remote, Revision revision, String path, long maxBytes, Path workDir)
            throws SourceException {
        String url = remote.redactedUrl();
        if (!Revision.isSha(revision.sha())) {
            throw new SourceException(url, revision.branch(), "Invalid commit sha: " + revision.sha());
        }
        try (Repository repo = mirrors.open(remote, workDir); RevWalk walk = new RevWalk(repo)) {
            RevCommit commit = walk.parseCommit(ObjectId.fromString(revision.sha()));
            try (TreeWalk tree = TreeWalk.forPath(repo, path, commit.getTree())) {
                if (tree == null) {
                    return Optional.empty();
                }
                FileMode mode = tree.getFileMode(0);
                if (mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE) {
                    return Optional.empty();
                }
                var loader = repo.open(tree.getObjectId(0), Constants.OBJ_BLOB);
                if (loader.getSize() > maxBytes) {
                    throw new SourceException(url, revision.branch(), path + " at " + revision + " is larger than "
                            + maxBytes + " bytes");
                }
                return Optional.of(loader.getBytes());
            }
        } catch (SourceException e) {
            throw e;
        } catch (MissingObjectException e) {
            throw new SourceException(url, revision.branch(), "revision " + revision
                    + " has not been fetched from " + url + "; fetch its branch first");
        } catch (IOException | RuntimeException e) {
            throw new SourceException(url, revision.branch(), "could not read " + path + " at " + revision + " of "
                    + url + ": " + remote.redactor(null, null).summary(e, url), remote.redactor(null, null).redactChain(e));
        }
    }
}
