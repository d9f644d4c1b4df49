package dev.drawbridge.render;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks, before any build, everything a kustomization can reach: every kustomization reachable through
 * {@code resources}, {@code bases}, {@code components} (and transformers, generators, validators) is read;
 * a remote entry is refused with its file and line; a local path must stay inside the checkout after
 * resolving symlinks; and every directory reached is walked for symlinks that leave the checkout.
 *
 * <p>Only the directories the build can read are walked, not the whole checkout, so that an unrelated
 * symlink elsewhere in the repository does not fail this overlay.
 */
final class KustomizationScanner {

    static final List<String> KUSTOMIZATION_FILES = List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

    /** Entries that may name another kustomization (a directory) or a remote target. */
    private static final List<String> REFERENCE_FIELDS =
            List.of("resources", "bases", "components", "transformers", "generators", "validators");
    /** Sequences of plain file paths. */
    private static final List<String> FILE_LIST_FIELDS = List.of("patchesStrategicMerge", "configurations", "crds");
    /** Sequences of mappings whose {@code path} is a file. */
    private static final List<String> PATH_ITEM_FIELDS = List.of("patches", "patchesJson6902", "replacements");
    private static final List<String> GENERATOR_FIELDS = List.of("configMapGenerator", "secretGenerator");

    private final Path root;
    private final Set<Path> scanned = new HashSet<>();
    private final Set<Path> walked = new HashSet<>();
    /**
     * Paths seen by the symlink walk that are not symlinks and were reached through real directories only:
     * each is its own real path, so a kustomization entry naming one needs no resolving (a large overlay
     * names hundreds of files). Directory -> true, file -> false.
     */
    private final java.util.Map<Path, Boolean> plain = new java.util.HashMap<>();

    /** @param root the real path of the checkout root */
    KustomizationScanner(Path root) {
        this.root = root;
    }

    static Optional<Path> kustomizationFile(Path dir) {
        for (String name : KUSTOMIZATION_FILES) {
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }

    /** Scans the kustomization in {@code dir} (a real path inside the root) and all it reaches. */
    void scan(Path dir) throws RenderException {
        Deque<Path> pending = new ArrayDeque<>();
        pending.add(dir);
        while (!pending.isEmpty()) {
            Path next = pending.poll();
            if (!scanned.add(next)) {
                continue;
            }
            walkForSymlinks(next);
            Optional<Path> file = kustomizationFile(next);
            if (file.isPresent()) {
                pending.addAll(scanFile(next, file.get()));
            }
        }
    }

    private List<Path> scanFile(Path dir, Path file) throws RenderException {
        String name = relative(file);
        Node document = compose(file, name);
        if (!(document instanceof MappingNode mapping)) {
            return List.of(); // empty or not a mapping: Kustomize reports it
        }
        List<Path> directories = new java.util.ArrayList<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : "";
            Node value = tuple.getValueNode();
            if (REFERENCE_FIELDS.contains(key)) {
                for (ScalarNode entry : scalars(value)) {
                    if (entry.getValue().contains("\n")) {
                        continue; // an inline transformer or generator configuration
                    }
                    if (RemoteReferences.isRemote(entry.getValue())) {
                        throw new RenderException(name, line(entry), "remote " + (key.equals("resources") || key.equals("bases") ? "base" : key.replaceAll("s$", ""))
                                + " \"" + entry.getValue() + "\" is not allowed: only manifests of the reviewed commit may be rendered");
                    }
                    Path target = confine(dir, entry, name, key);
                    if (target != null && plain.getOrDefault(target, Files.isDirectory(target))) {
                        directories.add(target);
                    }
                }
            } else if (FILE_LIST_FIELDS.contains(key)) {
                for (ScalarNode entry : scalars(value)) {
                    if (!entry.getValue().contains("\n")) {
                        confine(dir, entry, name, key);
                    }
                }
            } else if (PATH_ITEM_FIELDS.contains(key) || GENERATOR_FIELDS.contains(key)) {
                for (Node item : items(value)) {
                    checkItemPaths(dir, item, name, key);
                }
            } else if (key.equals("openapi")) {
                checkItemPaths(dir, value, name, key);
            }
        }
        return directories;
    }

    private void checkItemPaths(Path dir, Node item, String name, String key) throws RenderException {
        if (!(item instanceof MappingNode mapping)) {
            return;
        }
        for (NodeTuple tuple : mapping.getValue()) {
            String field = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : "";
            if (List.of("path", "env", "envs", "files").contains(field)) {
                for (ScalarNode entry : scalars(tuple.getValueNode())) {
                    String value = entry.getValue();
                    // generator files may be written `key=path`
                    int eq = field.equals("files") ? value.indexOf('=') : -1;
                    String path = eq >= 0 ? value.substring(eq + 1) : value;
                    confine(dir, new ScalarNode(entry.getTag(), path, entry.getStartMark(), entry.getEndMark(),
                            entry.getScalarStyle()), name, key);
                }
            }
        }
    }

    /**
     * Resolves a local entry against the kustomization's directory and refuses it when it leaves the
     * checkout, lexically ({@code ../../..}) or through a symlink. Returns its real path, or null when it
     * does not exist (Kustomize then reports it with its own message).
     */
    private Path confine(Path dir, ScalarNode entry, String file, String key) throws RenderException {
        String value = entry.getValue().strip();
        if (value.isEmpty()) {
            return null;
        }
        Path resolved;
        try {
            resolved = dir.resolve(value).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new RenderException(file, line(entry), key + " entry \"" + value + "\" is not a valid path");
        }
        if (!resolved.startsWith(root)) {
            throw new RenderException(file, line(entry), key + " entry \"" + value + "\" leaves the checkout");
        }
        if (plain.containsKey(resolved)) {
            return resolved;
        }
        if (!Files.exists(resolved)) {
            return null;
        }
        Path real = realPath(resolved);
        if (!real.startsWith(root)) {
            throw new RenderException(file, line(entry), key + " entry \"" + value
                    + "\" leaves the checkout through a symlink");
        }
        return real;
    }

    /** Refuses any symlink under {@code dir} whose target is outside the checkout; follows those inside. */
    private void walkForSymlinks(Path dir) throws RenderException {
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
                String link = relative(e.link);
                String target;
                try {
                    target = Files.readSymbolicLink(e.link).toString();
                } catch (IOException unreadable) {
                    target = "?";
                }
                throw new RenderException(link, 0, "symlink to \"" + target + "\" leaves the checkout");
            } catch (IOException e) {
                throw new RenderException(relative(next), 0, "cannot read directory: " + e.getMessage());
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

    private Node compose(Path file, String name) throws RenderException {
        try {
            String text = Files.readString(file);
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(YamlDocuments.MAX_ALIASES);
            options.setNestingDepthLimit(YamlDocuments.MAX_NESTING);
            options.setAllowDuplicateKeys(false);
            options.setTagInspector(tag -> false);
            Composer composer = new Composer(new ParserImpl(new StreamReader(text), options), new Resolver(), options);
            return composer.getSingleNode();
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new RenderException(name, mark == null ? 0 : mark.getLine() + 1,
                    e.getProblem() == null ? e.getMessage() : e.getProblem());
        } catch (YAMLException e) {
            throw new RenderException(name, 0, e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            throw new RenderException(name, 0, "cannot read: " + e.getMessage());
        }
    }

    private static List<ScalarNode> scalars(Node node) {
        if (node instanceof ScalarNode s) {
            return List.of(s);
        }
        if (node instanceof SequenceNode seq) {
            return seq.getValue().stream().filter(ScalarNode.class::isInstance).map(ScalarNode.class::cast).toList();
        }
        return List.of();
    }

    private static List<Node> items(Node node) {
        return node instanceof SequenceNode seq ? seq.getValue() : List.of();
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    private Path realPath(Path path) throws RenderException {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new RenderException(relative(path), 0, "cannot resolve: " + e.getMessage());
        }
    }

    String relative(Path path) {
        if (path.equals(root)) {
            return ".";
        }
        return path.startsWith(root) ? root.relativize(path).toString() : path.toString();
    }
}
