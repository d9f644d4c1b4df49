package dev.drawbridge.source;

import dev.drawbridge.hash.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.List;
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
     * that the marker of the next revision need not read every file again when only some files' contents changed).
     */
    record Held(String sha, SortedMap<String, String> entries, String fingerprint) {
        Held(String sha, SortedMap<String, String> entries) {
            this(sha, entries, SlotMarker.fingerprint(entries));
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
        return write(marker, sha, entries(dir));
    }

    /**
     * Records that {@code dir} now holds {@code sha} whole, where it held {@code before} and then only the contents of
     * {@code changedFiles} (regular files, relative paths) were rewritten in place: the same paths, directories and
     * modes. Only those files are read again; the other entries are those {@code before} read.
     */
    static Held write(Path marker, Path dir, String sha, Held before, Set<String> changedFiles) throws IOException {
        SortedMap<String, String> entries = new TreeMap<>(before.entries());
        for (String changed : changedFiles) {
            Path path = dir.resolve(changed);
            String relative = dir.relativize(path).toString();
            if (!entries.containsKey(relative)) {
                return write(marker, dir, sha); // not a path it had: not an update in place after all, so all is read
            }
            entries.put(relative, entry(relative, path, Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)));
        }
        return write(marker, sha, entries);
    }

    private static Held write(Path marker, String sha, SortedMap<String, String> entries) throws IOException {
        Held held = new Held(sha, entries);
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

    /** Whether the files of {@code dir} are, one stat per path, those {@code held} was taken from. */
    static boolean matches(Path dir, Held held) {
        try {
            return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && held.fingerprint().equals(fingerprint(entries(dir)));
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
            Held held = new Held(marked.sha(), entries(dir));
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

    /**
     * Each path under {@code dir} (relative) with its entry: its kind, and for files and links their size, modification
     * time and executable bit. The attributes come with the walk: one stat per path.
     */
    private static SortedMap<String, String> entries(Path dir) throws IOException {
        SortedMap<String, String> entries = new TreeMap<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path path, BasicFileAttributes attributes) {
                String relative = dir.relativize(path).toString();
                entries.put(relative, "d " + relative);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path path, BasicFileAttributes attributes) throws IOException {
                String relative = dir.relativize(path).toString();
                entries.put(relative, entry(relative, path, attributes));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path path, IOException e) throws IOException {
                throw e;
            }
        });
        return entries;
    }

    private static String entry(String relative, Path path, BasicFileAttributes attributes) throws IOException {
        if (attributes.isDirectory()) {
            return "d " + relative;
        }
        return (attributes.isSymbolicLink() ? "l " : "f ") + relative + " " + attributes.size() + " "
                + attributes.lastModifiedTime().toMillis() + " " + executable(path, attributes);
    }

    /**
     * The owner's executable bit, from the attributes the walk read where they hold it (on Linux they do: one stat
     * per file, where {@link Files#isExecutable} would be a second system call per file).
     */
    private static boolean executable(Path path, BasicFileAttributes attributes) throws IOException {
        if (attributes instanceof PosixFileAttributes posix) {
            return posix.permissions().contains(PosixFilePermission.OWNER_EXECUTE);
        }
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).permissions()
                    .contains(PosixFilePermission.OWNER_EXECUTE);
        }
        return Files.isExecutable(path);
    }
}
