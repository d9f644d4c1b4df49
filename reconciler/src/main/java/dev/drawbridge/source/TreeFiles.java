package dev.drawbridge.source;

import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writing the tree of a commit to disk, safely: a whole tree (files whose blob did not change hard-linked
 * from the tree before), or an update of a tree in place from one commit to another (only what changed
 * is touched). A path with {@code ..}, an empty segment or a {@code .git} segment, or whose directory
 * leaves the tree through a symlink, is refused ({@link UnsafePathException}); symlinks are written as
 * symlinks (the render stage checks that nothing escapes), the executable bit is kept.
 */
final class TreeFiles {

    private TreeFiles() {
    }

    /**
     * The most recently used materialised tree, if any: files whose blob did not change since it are
     * hard-linked from it instead of written again (a new commit usually changes a few files of many).
     */
    static Optional<Path> latestTree(Path trees) throws IOException {
        try (Stream<Path> children = Files.list(trees)) {
            return children.filter(child -> Revision.isSha(child.getFileName().toString())
                            && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS))
                    .max(Comparator.comparing(TreeFiles::lastModified));
        }
    }

    /**
     * Writes the tree of {@code commit} into {@code dir}. A file whose blob and mode are the same in
     * {@code base} (a tree materialised before, named by its commit) is hard-linked from it; anything that
     * cannot be linked (the base pruned meanwhile, another file system) is written from the blob.
     */
    static void writeTree(Repository repo, ObjectId commit, Path dir, Optional<Path> base) throws IOException {
        Path realDir = dir.toRealPath();
        Set<Path> checkedDirs = new HashSet<>();
        checkedDirs.add(realDir);
        try (RevWalk walk = new RevWalk(repo); TreeWalk tree = new TreeWalk(repo)) {
            tree.addTree(walk.parseCommit(commit).getTree());
            Path baseDir = base.isPresent() ? baseTree(repo, walk, tree, base.get()) : null;
            tree.setRecursive(true);
            while (tree.next()) {
                if (tree.getRawMode(0) == 0) {
                    continue; // only in the base
                }
                String path = tree.getPathString();
                checkSafe(path);
                Path file = directoryOf(realDir, path, checkedDirs).resolve(file(path));
                FileMode mode = tree.getFileMode(0);
                if (baseDir != null && isFile(mode) && tree.getRawMode(1) == tree.getRawMode(0) && tree.idEqual(0, 1)
                        && link(file, baseDir.resolve(path))) {
                    continue;
                }
                writeEntry(repo, file, mode, tree.getObjectId(0));
            }
        }
    }

    /**
     * Brings {@code dir}, which holds the tree of {@code from}, to the tree of {@code to}: first removes what
     * left or changed type (and directories left empty), then writes what is new or changed; the rest is not
     * touched. Answers how the trees differ when only regular files' contents do, else null.
     */
    static Checkout.Since updateTree(Repository repo, ObjectId from, ObjectId to, Path dir) throws IOException {
        Path realDir = dir.toRealPath();
        List<String> removed = new ArrayList<>();
        List<String> written = new ArrayList<>();
        Map<String, FileMode> modes = new HashMap<>();
        Map<String, ObjectId> ids = new HashMap<>();
        Set<String> changedFiles = new HashSet<>();
        boolean sameLayout = true;
        try (RevWalk walk = new RevWalk(repo); TreeWalk tree = new TreeWalk(repo)) {
            tree.addTree(walk.parseCommit(from).getTree());
            tree.addTree(walk.parseCommit(to).getTree());
            tree.setRecursive(true);
            tree.setFilter(TreeFilter.ANY_DIFF); // equal subtrees are skipped, not walked
            while (tree.next()) {
                String path = tree.getPathString();
                checkSafe(path);
                int before = tree.getRawMode(0);
                int after = tree.getRawMode(1);
                if (before == after && isFile(tree.getFileMode(1))) {
                    changedFiles.add(path); // same path and mode, new content: rewritten in place
                } else {
                    sameLayout = false;
                    if (before != 0) {
                        removed.add(path);
                    }
                }
                if (after != 0) {
                    written.add(path);
                    modes.put(path, tree.getFileMode(1));
                    ids.put(path, tree.getObjectId(1));
                }
            }
        }
        for (String path : removed) {
            Path file = realDir.resolve(path);
            if (!file.getParent().toRealPath().startsWith(realDir)) {
                throw new UnsafePathException(path + " (its directory leaves the tree)");
            }
            deleteRecursively(file);
            for (Path parent = file.getParent(); !parent.equals(realDir) && isEmptyDirectory(parent); parent = parent.getParent()) {
                Files.delete(parent);
            }
        }
        Set<Path> checkedDirs = new HashSet<>();
        checkedDirs.add(realDir);
        for (String path : written) {
            Path file = directoryOf(realDir, path, checkedDirs).resolve(file(path));
            writeEntry(repo, file, modes.get(path), ids.get(path));
        }
        return sameLayout ? new Checkout.Since(from.name(), changedFiles) : null;
    }

    private static boolean isFile(FileMode mode) {
        return mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE;
    }

    private static boolean isEmptyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.findAny().isEmpty();
        }
    }

    private static String file(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /**
     * The real directory that holds {@code path} inside {@code realDir}, created when missing; refused when it
     * leaves the tree (checked once per directory).
     */
    private static Path directoryOf(Path realDir, String path, Set<Path> checkedDirs) throws IOException {
        Path parent = realDir.resolve(path).getParent();
        if (checkedDirs.add(parent)) {
            Files.createDirectories(parent);
            if (!parent.toRealPath().startsWith(realDir)) {
                throw new UnsafePathException(path + " (its directory leaves the tree)");
            }
        }
        return parent;
    }

    /** Writes one tree entry from its blob: a file (replacing one that is there), a symlink, or an empty submodule. */
    private static void writeEntry(Repository repo, Path file, FileMode mode, ObjectId id) throws IOException {
        if (mode == FileMode.SYMLINK) {
            String target = new String(repo.open(id, Constants.OBJ_BLOB).getBytes(), StandardCharsets.UTF_8);
            Files.createSymbolicLink(file, Path.of(target));
        } else if (mode == FileMode.GITLINK) {
            Files.createDirectories(file); // a submodule: not fetched, left empty as git does
        } else if (isFile(mode)) {
            try (InputStream in = repo.open(id, Constants.OBJ_BLOB).openStream()) {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
            setPermissions(file, mode == FileMode.EXECUTABLE_FILE ? "rwxr-xr-x" : "rw-r--r--");
        }
    }

    /**
     * Adds the tree of {@code base}'s commit to the walk as tree 1 and returns {@code base}, or returns null
     * (nothing linked) when that commit is not in this repository.
     */
    private static Path baseTree(Repository repo, RevWalk walk, TreeWalk tree, Path base) throws IOException {
        try {
            tree.addTree(walk.parseCommit(ObjectId.fromString(base.getFileName().toString())).getTree());
            return base.toRealPath();
        } catch (MissingObjectException | IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean link(Path file, Path existing) {
        try {
            if (!Files.isRegularFile(existing, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            Files.createLink(file, existing);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static void checkSafe(String path) throws UnsafePathException {
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")
                    || segment.toLowerCase(Locale.ROOT).equals(".git") || segment.indexOf('\\') >= 0
                    || segment.indexOf('\0') >= 0) {
                throw new UnsafePathException(path);
            }
        }
    }

    static void createPrivateDirectories(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            setPermissions(dir, "rwx------");
        }
    }

    private static void setPermissions(Path file, String permissions) throws IOException {
        try {
            Set<PosixFilePermission> perms = PosixFilePermissions.fromString(permissions);
            Files.setPosixFilePermissions(file, perms);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the executable bit cannot be kept
        }
    }

    static FileTime lastModified(Path path) {
        try {
            return Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) { // does not follow symlinks
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A tree entry whose path would leave the tree or write into Git metadata. */
    static final class UnsafePathException extends IOException {
        UnsafePathException(String path) {
            super(path);
        }
    }
}
