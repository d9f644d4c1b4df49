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
 */
public record Checkout(Revision revision, Path root, Since since) {

    public Checkout(Revision revision, Path root) {
        this(revision, root, null);
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
