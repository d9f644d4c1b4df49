package dev.drawbridge.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.source.Checkout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Renders a directory of a checkout: with the Kustomize CLI when it holds a kustomization, else by
 * reading its YAML files. Before anything runs, the directory and everything it references are
 * checked to stay inside the checkout, and remote bases are refused.
 */
public final class KustomizeRenderer implements Renderer {

    private static final int REMEMBERED_SCANS = 256;

    private final RenderSettings settings;
    private final OutputDocuments documents = new OutputDocuments();
    /**
     * Revision and path of the kustomizations whose scan passed (the most recent ones), each with the files
     * whose contents that scan read (kustomizations and plugin configurations).
     */
    private final Map<String, Set<String>> scanned = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
                    return size() > REMEMBERED_SCANS;
                }
            });

    public KustomizeRenderer(RenderSettings settings) {
        this.settings = settings == null ? RenderSettings.defaults() : settings;
    }

    public KustomizeRenderer() {
        this(RenderSettings.defaults());
    }

    @Override
    public List<ObjectNode> render(Checkout checkout, String path) throws RenderException {
        Path root = realRoot(checkout);
        Path dir = target(root, path);
        KustomizationScanner scanner = new KustomizationScanner(root);
        List<ObjectNode> objects = new ArrayList<>();
        YamlDocuments parser = new YamlDocuments(settings.maxOutputBytes(), settings.maxDocuments());
        Optional<Path> kustomization = scanner.kustomizationFile(dir);
        if (kustomization.isPresent()) {
            scan(scanner, checkout, path, dir);
            String output = new KustomizeProcess(settings).build(root, dir, scanner.relative(kustomization.get()));
            objects.addAll(documents.parse(root + "\n" + scanner.relative(dir), output, settings.maxOutputBytes(),
                    settings.maxDocuments()));
        } else {
            readPlainDirectory(root, dir, scanner, parser, objects);
        }
        return List.copyOf(objects);
    }

    /**
     * What the scan checks depends on the layout (paths, directories, symlinks) and on the contents of the
     * files it read (kustomizations and plugin configurations), nothing else. So a tree that differs from
     * one whose scan passed only in the contents of files that scan did not read ({@link Checkout#since()})
     * passes it too, and is not scanned again: the usual commit changes a manifest, not the layout.
     */
    private void scan(KustomizationScanner scanner, Checkout checkout, String path, Path dir) throws RenderException {
        String key = checkout.revision() == null ? null : scanKey(checkout.revision().sha(), path);
        Checkout.Since since = checkout.since();
        Set<String> earlier = key == null || since == null ? null : scanned.get(scanKey(since.revision(), path));
        Set<String> read;
        if (earlier != null && since.changedFiles().stream().noneMatch(earlier::contains)) {
            read = earlier;
        } else {
            scanner.scan(dir);
            read = scanner.readFiles();
        }
        if (key != null) {
            scanned.put(key, read);
        }
    }

    private static String scanKey(String revision, String path) {
        return revision + "\n" + path;
    }

    private static Path realRoot(Checkout checkout) throws RenderException {
        if (checkout == null || checkout.root() == null) {
            throw new RenderException("no checkout to render");
        }
        try {
            return checkout.root().toRealPath();
        } catch (IOException e) {
            throw new RenderException("checkout root " + checkout.root() + " does not exist");
        }
    }

    /** The directory to build, as a real path that must be inside the root. */
    private static Path target(Path root, String path) throws RenderException {
        String shown = path == null || path.isBlank() ? "." : path;
        Path resolved;
        try {
            resolved = root.resolve(path == null ? "" : path).normalize();
        } catch (InvalidPathException e) {
            throw new RenderException(shown, 0, "not a valid path");
        }
        if (!resolved.startsWith(root)) {
            throw new RenderException(shown, 0, "path leaves the checkout");
        }
        if (!Files.exists(resolved)) {
            throw new RenderException(shown, 0, "directory does not exist in the checkout");
        }
        Path real;
        try {
            real = resolved.toRealPath();
        } catch (IOException e) {
            throw new RenderException(shown, 0, "cannot resolve: " + e.getMessage());
        }
        if (!real.startsWith(root)) {
            throw new RenderException(shown, 0, "path leaves the checkout through a symlink");
        }
        if (!Files.isDirectory(real)) {
            throw new RenderException(shown, 0, "not a directory");
        }
        return real;
    }

    /**
     * A directory without a kustomization renders like {@code kubectl apply -f DIR}: every
     * {@code *.yaml} and {@code *.yml} file directly in it, sorted by name, NOT its subdirectories,
     * so that a nested overlay or an unrelated folder is never picked up by accident.
     */
    private void readPlainDirectory(Path root, Path dir, KustomizationScanner scanner, YamlDocuments parser,
                                    List<ObjectNode> objects) throws RenderException {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> {
                String name = p.getFileName().toString();
                return (name.endsWith(".yaml") || name.endsWith(".yml")) && !name.startsWith(".");
            }).sorted().toList();
        } catch (IOException e) {
            throw new RenderException(scanner.relative(dir), 0, "cannot list directory: " + e.getMessage());
        }
        long total = 0;
        for (Path file : files) {
            String name = scanner.relative(file);
            Path real;
            try {
                real = file.toRealPath();
            } catch (IOException e) {
                throw new RenderException(name, 0, "cannot resolve: " + e.getMessage());
            }
            if (!real.startsWith(root)) {
                throw new RenderException(name, 0, "symlink leaves the checkout");
            }
            if (!Files.isRegularFile(real)) {
                continue;
            }
            try {
                total += Files.size(real);
                if (total > settings.maxOutputBytes()) {
                    throw new RenderException(name, 0, "YAML files of " + scanner.relative(dir) + " exceed "
                            + KustomizeProcess.humanBytes(settings.maxOutputBytes()));
                }
                parser.parse(Files.readString(real), name, name, objects);
            } catch (IOException e) {
                throw new RenderException(name, 0, "cannot read: " + e.getMessage());
            }
        }
    }
}
