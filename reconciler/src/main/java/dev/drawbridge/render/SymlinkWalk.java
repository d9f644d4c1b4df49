package dev.drawbridge.render;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Walks the directories a build reads for symlinks that leave the checkout, following those that stay
 * inside, and remembers what it saw so that the scan can skip resolving plain paths.
 */
final class SymlinkWalk {

    private final Path root;
    private final Function<Path, String> relative;
    private final Set<Path> walked = new HashSet<>();
    /**
     * Paths seen by the walk that are not symlinks and were reached through real directories only: each is
     * its own real path, so a kustomization entry naming one needs no resolving (a large overlay names
     * hundreds of files). Directory -> true, file -> false.
     */
    private final Map<Path, Boolean> plain = new HashMap<>();

    /** @param relative how to name a path in a message (relative to the checkout root) */
    SymlinkWalk(Path root, Function<Path, String> relative) {
        this.root = root;
        this.relative = relative;
    }

    /** True for a plain directory, false for a plain file, null when the walk did not see it as plain. */
    Boolean plain(Path path) {
        return plain.get(path);
    }

    /** Refuses any symlink under {@code dir} whose target is outside the checkout; follows those inside. */
    void walk(Path dir) throws RenderException {
        Deque<Path> pending = new ArrayDeque<>(List.of(dir));
        while (!pending.isEmpty()) {
            Path next = pending.poll();
            if (!walked.add(next)) {
                continue;
            }
            try {
                Files.walkFileTree(next, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                        if (d.getFileName() != null && d.getFileName().toString().equals(".git")) {
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        plain.put(d, true);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                        if (attrs.isRegularFile()) {
                            plain.put(f, false);
                        }
                        if (attrs.isSymbolicLink()) {
                            Path target;
                            try {
                                target = f.toRealPath();
                            } catch (IOException dangling) {
                                return FileVisitResult.CONTINUE; // nothing to read; Kustomize fails if it needs it
                            }
                            if (!target.startsWith(root)) {
                                throw new EscapingSymlink(f);
                            }
                            if (Files.isDirectory(target)) {
                                pending.add(target);
                            }
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path f, IOException e) {
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (EscapingSymlink e) {
                String link = relative.apply(e.link);
                String target;
                try {
                    target = Files.readSymbolicLink(e.link).toString();
                } catch (IOException unreadable) {
                    target = "?";
                }
                throw new RenderException(link, 0, "symlink to \"" + target + "\" leaves the checkout");
            } catch (IOException e) {
                throw new RenderException(relative.apply(next), 0, "cannot read directory: " + e.getMessage());
            }
        }
    }

    private static final class EscapingSymlink extends IOException {
        final transient Path link;

        EscapingSymlink(Path link) {
            super(link.toString(), null);
            this.link = link;
        }
    }
}
