package dev.drawbridge.source;

import java.nio.file.Path;
import java.util.Set;

/**
 * A tree materialised at one revision into a private directory.
 *
 * @param revision the revision, or null for a local directory that is not a Git checkout
 * @param root     the directory holding the tree; rendering is confined to it
 * @param since    how the tree differs from that of an earlier revision, when the source knows it and only
 *                 file contents differ (later stages may then reuse what they found for that revision);
 *                 null otherwise
 * @param check    whether the files are still those the source wrote, when that is checked while the tree is read
 *                 (an environment's slot brought to a new revision in place); {@link Check#DONE} when it was
 *                 checked before the tree was handed out, or there is nothing to check
 */
public record Checkout(Revision revision, Path root, Since since, Check check) {

    public Checkout {
        check = check == null ? Check.DONE : check;
    }

    public Checkout(Revision revision, Path root, Since since) {
        this(revision, root, since, Check.DONE);
    }

    public Checkout(Revision revision, Path root) {
        this(revision, root, null);
    }

    /**
     * Whether the tree's files were found to be those its source wrote (waits for a check still running). A reader
     * that gets false must not use what it read: the tree had been changed behind the source's back, and the source
     * writes it whole at its next materialisation.
     */
    public boolean intact() {
        return check.intact();
    }

    /** A check of a tree's files against what its source wrote, which may still be running. */
    @FunctionalInterface
    public interface Check {
        /** Nothing left to check. */
        Check DONE = () -> true;

        /** Waits for the check to end: true when the files are those the source wrote. */
        boolean intact();
    }

    /**
     * The tree is that of commit {@code revision} but for the contents of {@code changedFiles} (regular files,
     * paths relative to the root): the same paths, directories, modes and symlink targets.
     */
    public record Since(String revision, Set<String> changedFiles) {
        public Since {
            changedFiles = Set.copyOf(changedFiles);
        }
    }
}
