package dev.drawbridge.source;

import dev.drawbridge.hash.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The marker beside a slot ({@code slots/<hash>.sha}): the revision the slot holds whole, and a fingerprint of its
 * files (each path with its size and modification time, one stat per file, as Git's index), so a slot whose files
 * were changed, added or removed behind Drawbridge's back is not trusted and is written whole again.
 */
final class SlotMarker {

    private static final Logger log = LoggerFactory.getLogger(SlotMarker.class);

    private SlotMarker() {
    }

    /**
     * What a slot holds whole: the revision, and the entry of each of its paths that the fingerprint hashes (kept, so
     * that the marker of the next revision need not read every file again when only some files' contents changed),
     * with the stat each was read from ({@link #matches} compares those, not the text).
     */
    record Held(String sha, SortedMap<String, String> entries, Map<String, Stat> stats, String fingerprint) {
        Held(String sha, SortedMap<String, String> entries, Map<String, Stat> stats) {
            this(sha, entries, stats, SlotMarker.fingerprint(entries));
        }
    }

    /** What one stat of a path tells: a directory, or a file or link with its size, modification time and executable bit. */
    record Stat(boolean directory, boolean link, long size, long modified, boolean executable) {
        static final Stat DIRECTORY = new Stat(true, false, 0, 0, false);

        static Stat of(Path path, BasicFileAttributes attributes) throws IOException {
            return attributes.isDirectory() ? DIRECTORY : new Stat(false, attributes.isSymbolicLink(), attributes.size(),
                    attributes.lastModifiedTime().toMillis(), SlotMarker.executable(path, attributes));
        }

        /** Whether {@code other} tells the same (compared field by field: a record's own equals is slow in C1 code). */
        boolean same(Stat other) {
            return other != null && directory == other.directory && link == other.link && size == other.size
                    && modified == other.modified && executable == other.executable;
        }

        /** The entry of the path in the marker's fingerprint. */
        String entry(String relative) {
            return directory ? "d " + relative : (link ? "l " : "f ") + relative + " " + size + " " + modified + " " + executable;
        }
    }

    /** What a marker says, read without looking at the slot's files: its revision and its fingerprint. */
    record Marked(String sha, String fingerprint) {
        /** Whether {@code held} is what this marker says: the same revision and fingerprint. */
        boolean says(Held held) {
            return held != null && held.sha().equals(sha) && held.fingerprint().equals(fingerprint);
        }
    }

    /** Records that {@code dir} now holds {@code sha} whole, reading every path. */
    static Held write(Path marker, Path dir, String sha) throws IOException {
        return write(marker, sha, stats(dir));
    }

    /**
     * Records that {@code dir} now holds {@code sha} whole, where it held {@code before} and then only the contents of
     * {@code changedFiles} (regular files, relative paths) were rewritten in place: the same paths, directories and
     * modes. Only those files are read again; the other entries are those {@code before} read.
     */
    static Held write(Path marker, Path dir, String sha, Held before, Set<String> changedFiles) throws IOException {
        SortedMap<String, String> entries = new TreeMap<>(before.entries());
        Map<String, Stat> stats = new HashMap<>(before.stats());
        for (String changed : changedFiles) {
            Path path = dir.resolve(changed);
            String relative = dir.relativize(path).toString();
            if (!entries.containsKey(relative)) {
                return write(marker, dir, sha); // not a path it had: not an update in place after all, so all is read
            }
            Stat stat = stat(path, dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
            entries.put(relative, stat.entry(relative));
            stats.put(relative, stat);
        }
        return write(marker, sha, entries, stats);
    }

    private static Held write(Path marker, String sha, Map<String, Stat> stats) throws IOException {
        return write(marker, sha, entriesOf(stats), stats);
    }

    /** The fingerprint's entry of each path, in the order of the paths. */
    private static SortedMap<String, String> entriesOf(Map<String, Stat> stats) {
        SortedMap<String, String> entries = new TreeMap<>();
        stats.forEach((relative, stat) -> entries.put(relative, stat.entry(relative)));
        return entries;
    }

    private static Held write(Path marker, String sha, SortedMap<String, String> entries, Map<String, Stat> stats)
            throws IOException {
        Held held = new Held(sha, entries, stats);
        Files.writeString(marker, sha + "\n" + held.fingerprint() + "\n");
        return held;
    }

    /** What the marker says, without reading the slot's files; null when there is none or it does not parse. */
    static Marked read(Path marker) {
        try {
            List<String> lines = Files.readAllLines(marker, StandardCharsets.UTF_8);
            return lines.size() == 2 && Revision.isSha(lines.get(0)) ? new Marked(lines.get(0), lines.get(1)) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Whether the files of {@code dir} are, one stat per path, those {@code held} was taken from: each stat compared
     * with the one held for its path, no path more or less (the walk stops at the first that differs).
     */
    static boolean matches(Path dir, Held held) {
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            int[] same = {0};
            boolean whole = walk(dir, (relative, stat) -> {
                if (!stat.same(held.stats().get(relative))) {
                    return false;
                }
                same[0]++;
                return true;
            });
            return whole && same[0] == held.stats().size();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * What a slot's directory holds whole, or null when it holds nothing known to be whole: no marker, a marker that
     * does not parse, or files that no longer match the fingerprint taken when it was written.
     */
    static Held held(Path marker, Path dir) {
        Marked marked = read(marker);
        try {
            if (marked == null || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            Map<String, Stat> stats = stats(dir);
            Held held = new Held(marked.sha(), entriesOf(stats), stats);
            if (!marked.says(held)) {
                log.warn("slot {}: its files changed since revision {} was written; writing it whole again", dir, marked.sha());
                return null;
            }
            return held;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The entries hashed in the order of their paths: the fingerprint a marker holds. */
    private static String fingerprint(SortedMap<String, String> entries) {
        MessageDigest digest = Sha256.start();
        for (String entry : entries.values()) {
            digest.update((entry + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return Sha256.finish(digest);
    }

    /** Each path under {@code dir} (relative, the directory itself as "") with its stat: one stat per path. */
    private static Map<String, Stat> stats(Path dir) throws IOException {
        Map<String, Stat> stats = new HashMap<>();
        walk(dir, (relative, stat) -> {
            stats.put(relative, stat);
            return true;
        });
        return stats;
    }

    /** Told each path of a walk and its stat; false stops the walk. */
    @FunctionalInterface
    private interface Visit {
        boolean path(String relative, Stat stat);
    }

    /**
     * Walks {@code dir} (links not followed), telling each path relative to it ({@code /}-separated; the directory itself
     * as "") and its stat; false when a visit stopped it. One stat per path: the POSIX attributes, which hold the
     * executable bit too (the basic ones a {@code Files.walkFileTree} reads do not, which took a second stat per file).
     */
    private static boolean walk(Path dir, Visit visit) throws IOException {
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        return visit.path("", stat(dir, posix)) && walk(dir, "", posix, visit);
    }

    private static boolean walk(Path dir, String prefix, boolean posix, Visit visit) throws IOException {
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                String relative = prefix + child.getFileName();
                Stat stat = stat(child, posix);
                if (!visit.path(relative, stat) || stat.directory() && !walk(child, relative + "/", posix, visit)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Stat stat(Path path, boolean posix) throws IOException {
        BasicFileAttributes attributes = posix
                ? Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                : Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return Stat.of(path, attributes);
    }

    /**
     * The owner's executable bit, from the attributes read where they hold it (POSIX ones, as {@link #walk} reads: one
     * stat per file, where {@link Files#isExecutable} would be a second system call per file).
     */
    private static boolean executable(Path path, BasicFileAttributes attributes) throws IOException {
        return attributes instanceof PosixFileAttributes posix ? posix.permissions().contains(PosixFilePermission.OWNER_EXECUTE)
                : Files.isExecutable(path); // a file system without POSIX attributes
    }
}
