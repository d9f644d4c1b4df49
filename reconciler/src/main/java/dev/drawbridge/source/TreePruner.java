package dev.drawbridge.source;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Keeps the {@code keepTrees} most recently used trees of a trees directory and deletes the rest, off the
 * callers' path; also removes what a crash left half-written ({@code .tmp-*} older than ten minutes).
 */
final class TreePruner {

    private static final Logger log = LoggerFactory.getLogger(TreePruner.class);
    private static final Duration STALE_TEMP = Duration.ofMinutes(10);

    /** Deletes old trees off the callers' path: one daemon thread for every instance. */
    private static final ExecutorService PRUNER = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "git-tree-prune");
        thread.setDaemon(true);
        return thread;
    });

    private final int keepTrees;
    private final Function<Path, Object> locks;
    /** Per trees directory, the newest tree a pending prune must keep. */
    private final ConcurrentMap<String, Path> pendingPrunes = new ConcurrentHashMap<>();

    /** @param locks the lock of a trees directory, held while trees are written into it */
    TreePruner(int keepTrees, Function<Path, Object> locks) {
        this.keepTrees = keepTrees;
        this.locks = locks;
    }

    /**
     * Prunes old trees off the caller's path (deleting a tree of many files takes as long as writing one):
     * one daemon thread, one pending prune per directory. A failed prune is retried by the next one.
     */
    void pruneLater(Path trees, Path keep) {
        String key = trees.toAbsolutePath().normalize().toString();
        if (pendingPrunes.put(key, keep) != null) {
            return; // the pending prune will keep the newest tree
        }
        PRUNER.execute(() -> {
            Path newest = pendingPrunes.remove(key);
            synchronized (locks.apply(trees)) {
                try {
                    prune(trees, newest);
                } catch (IOException | RuntimeException e) {
                    log.debug("could not prune old trees in {}: {}", trees, e.toString());
                }
            }
        });
    }

    /** Waits until the prunes asked for so far are done (tests). */
    static void awaitPrunes() throws InterruptedException, ExecutionException {
        PRUNER.submit(() -> { }).get();
    }

    private void prune(Path trees, Path keep) throws IOException {
        List<Path> materialised = new ArrayList<>();
        try (Stream<Path> children = Files.list(trees)) {
            for (Path child : (Iterable<Path>) children::iterator) {
                String name = child.getFileName().toString();
                if (name.startsWith(".tmp-")) {
                    if (ageOf(child).compareTo(STALE_TEMP) > 0) {
                        TreeFiles.deleteRecursively(child); // left by a crash mid-write
                    }
                } else if (!child.equals(keep) && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                    materialised.add(child);
                }
            }
        }
        materialised.sort(Comparator.comparing(TreeFiles::lastModified).reversed());
        for (Path old : materialised.subList(Math.min(materialised.size(), keepTrees - 1), materialised.size())) {
            TreeFiles.deleteRecursively(old);
        }
    }

    private static Duration ageOf(Path path) {
        return Duration.between(TreeFiles.lastModified(path).toInstant(), Instant.now());
    }
}
