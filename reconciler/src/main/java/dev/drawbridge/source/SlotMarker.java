package dev.drawbridge.source;

import dev.drawbridge.hash.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The marker beside a slot ({@code slots/<hash>.sha}): the revision the slot holds whole, and a fingerprint of its
 * files (each path with its size and modification time, one stat per file, as Git's index), so a slot whose files
 * were changed, added or removed behind Drawbridge's back is not trusted and is written whole again.
 */
final class SlotMarker {

    private static final Logger log = LoggerFactory.getLogger(SlotMarker.class);

    private SlotMarker() {
    }

    /** Records that {@code dir} now holds {@code sha} whole. */
    static void write(Path marker, Path dir, String sha) throws IOException {
        Files.writeString(marker, sha + "\n" + fingerprint(dir) + "\n");
    }

    /**
     * The revision a slot's directory holds whole, or null when it holds none (or not known to be whole: no
     * marker, a marker that does not parse, or files that no longer match the fingerprint taken when it was written).
     */
    static String held(Path marker, Path dir) {
        try {
            List<String> lines = Files.readAllLines(marker, StandardCharsets.UTF_8);
            if (lines.size() != 2 || !Revision.isSha(lines.get(0)) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            if (!lines.get(1).equals(fingerprint(dir))) {
                log.warn("slot {}: its files changed since revision {} was written; writing it whole again", dir, lines.get(0));
                return null;
            }
            return lines.get(0);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Each path under {@code dir} with its kind, and for files and links their size and modification time, hashed. */
    private static String fingerprint(Path dir) throws IOException {
        MessageDigest digest = Sha256.start();
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.sorted(Comparator.comparing(Path::toString)).toList();
        }
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        for (Path path : paths) {
            // One stat per file: the executable bit comes with the other attributes (Files.isExecutable is a second
            // system call per file, and doubled the cost of every reconcile's check of a 500-file slot).
            BasicFileAttributes attributes = posix
                    ? Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    : Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            boolean executable = attributes instanceof PosixFileAttributes p
                    ? p.permissions().contains(PosixFilePermission.OWNER_EXECUTE) : Files.isExecutable(path);
            String entry = attributes.isDirectory() ? "d " + dir.relativize(path)
                    : (attributes.isSymbolicLink() ? "l " : "f ") + dir.relativize(path) + " " + attributes.size() + " "
                    + attributes.lastModifiedTime().toMillis() + " " + executable;
            digest.update((entry + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return Sha256.finish(digest);
    }
}
