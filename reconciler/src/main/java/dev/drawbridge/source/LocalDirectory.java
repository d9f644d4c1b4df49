package dev.drawbridge.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * A directory on disk for {@code check --dir DIR}, e.g. an overlay in a CI job before merging.
 *
 * <p>When DIR is inside a Git work tree, the checkout's root is the top of that work tree, so an
 * overlay that references {@code ../../base} stays inside the root the renderer is confined to; the
 * revision is HEAD (uncommitted changes are rendered as they are on disk, but not part of the sha).
 * Otherwise the root is DIR itself and the revision is null.
 */
public final class LocalDirectory {

    private LocalDirectory() {
    }

    public static LocalTree checkout(Path dir) throws SourceException {
        Path real;
        try {
            real = dir.toRealPath();
        } catch (IOException e) {
            throw new SourceException(dir.toString(), null, dir + ": no such directory");
        }
        if (!Files.isDirectory(real)) {
            throw new SourceException(dir.toString(), null, dir + ": not a directory");
        }
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(real.toFile());
        if (builder.getGitDir() == null) {
            return new LocalTree(new Checkout(null, real), ".");
        }
        try (Repository repo = builder.setMustExist(true).build()) {
            if (repo.isBare()) {
                return new LocalTree(new Checkout(null, real), ".");
            }
            Path top = repo.getWorkTree().toPath().toRealPath();
            String path = top.equals(real) ? "." : top.relativize(real).toString().replace('\\', '/');
            ObjectId head = repo.resolve(Constants.HEAD);
            String fullBranch = repo.getFullBranch();
            String branch = fullBranch != null && fullBranch.startsWith(Constants.R_HEADS)
                    ? fullBranch.substring(Constants.R_HEADS.length()) : null;
            Revision revision = head == null ? null : new Revision(branch, head.name());
            return new LocalTree(new Checkout(revision, top), path);
        } catch (IOException | RuntimeException e) {
            throw new SourceException(dir.toString(), null, "could not read the Git work tree around " + dir
                    + ": " + e.getMessage());
        }
    }
}
