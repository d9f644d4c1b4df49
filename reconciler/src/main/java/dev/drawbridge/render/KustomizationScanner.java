package dev.drawbridge.render;

import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks, before any build, everything a kustomization can make Kustomize load: every field that names a
 * path ({@code resources}, {@code bases}, {@code components}, {@code patches[].path},
 * {@code patchesStrategicMerge}, {@code patchesJson6902[].path}, {@code replacements[].path}, a generator's
 * {@code files}/{@code envs}/{@code env}, {@code crds}, {@code configurations}, {@code openapi.path},
 * {@code transformers}, {@code generators}, {@code validators}), in this kustomization and every one it
 * reaches, and the plugin configurations that transformers, generators and validators name (inline, in a
 * file, or as the resources of a kustomization). A URL there, or a Helm chart anywhere, is refused
 * ({@link RenderException.Kind#REMOTE_REFUSED}): Kustomize would fetch it, and what is applied would
 * not be what Git reviewed. A local path must stay inside the checkout after resolving symlinks, a
 * kustomization file must not be a symlink, and every directory reached is walked for symlinks that
 * leave the checkout.
 *
 * <p>Only the directories the build can read are walked, not the whole checkout, so that an unrelated
 * symlink elsewhere in the repository does not fail this overlay.
 */
final class KustomizationScanner {

    static final List<String> KUSTOMIZATION_FILES = List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

    private static final String REFUSED = "refused: only paths inside the repository are rendered";
    private static final String HELM_REFUSED = "refused: a Helm chart is fetched and templated during the build,"
            + " not reviewed in Git; render the chart into the repository instead";

    // field names are compared folded (KustomizationYaml.fold)
    /** Entries that may name another kustomization (a directory). */
    private static final Set<String> DIRECTORY_FIELDS = Set.of("resources", "bases", "components");
    /** Entries that are plugin configurations: inline, a file, or a kustomization whose resources they are. */
    private static final Set<String> PLUGIN_FIELDS = Set.of("transformers", "generators", "validators");
    /** Lists of file paths ({@code patchesStrategicMerge} entries may also be inline patches). */
    private static final Set<String> FILE_LIST_FIELDS = Set.of("patchesstrategicmerge", "crds", "configurations");
    /** Lists of mappings whose {@code path} is a file. */
    private static final Set<String> PATH_ITEM_FIELDS = Set.of("patches", "patchesjson6902", "replacements");
    private static final Set<String> GENERATOR_FIELDS = Set.of("configmapgenerator", "secretgenerator");
    private static final Set<String> HELM_FIELDS = Set.of("helmcharts", "helmglobals", "helmchartinflationgenerator");
    /** What a kustomization used as plugin configuration may hold: anything else could rewrite the configurations. */
    private static final Set<String> PLUGIN_KUSTOMIZATION_FIELDS = Set.of("apiversion", "kind", "metadata", "resources");

    private final Path root;
    private final Set<String> scanned = new HashSet<>();
    private final SymlinkWalk symlinks;
    /** The files whose contents the scan read: its result depends on them and on the layout only. */
    private final Set<String> read = new TreeSet<>();

    /**
     * A directory to scan. {@code plugin} is null for a kustomization whose output is resources, and says
     * how it is used when its output is the configuration of transformers, generators or validators.
     */
    private record Pending(Path dir, PluginUse plugin) {
        String key() {
            // the same directory may configure plugins for two kustomizations, each resolving paths elsewhere
            return dir + (plugin == null ? "" : " (plugin configuration loaded from " + plugin.loaderDir() + ")");
        }
    }

    /**
     * @param loaderDir the directory of the kustomization naming the plugins: Kustomize resolves the paths in
     *                  their configurations against it
     * @param via       the field that names them, for messages ({@code app/kustomization.yaml transformers[0]})
     */
    private record PluginUse(Path loaderDir, String via) {
    }

    /** A path or URL as written in a field of a file. */
    private record Ref(String file, int line, String field, String value) {
    }

    /** @param root the real path of the checkout root */
    KustomizationScanner(Path root) {
        this.root = root;
        this.symlinks = new SymlinkWalk(root, this::relative);
    }

    /**
     * The kustomization file of {@code dir} (a real path), if any. One that is a symlink is refused: its
     * contents would be those of another file, which a reviewer does not read as this kustomization and
     * which {@link KustomizeRenderer}'s scan reuse would not know to scan again.
     */
    Optional<Path> kustomizationFile(Path dir) throws RenderException {
        for (String name : KUSTOMIZATION_FILES) {
            Path file = dir.resolve(name);
            if (Files.isSymbolicLink(file)) {
                String target;
                try {
                    target = Files.readSymbolicLink(file).toString();
                } catch (IOException unreadable) {
                    target = "?";
                }
                throw new RenderException(relative(file), 0, "kustomization file is a symlink (to \"" + target
                        + "\"): refused, a kustomization must be a regular file of the repository");
            }
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }

    /** The files (relative to the root) whose contents the scans so far depended on. */
    Set<String> readFiles() {
        return Set.copyOf(read);
    }

    /** Scans the kustomization in {@code dir} (a real path inside the root) and all it reaches. */
    void scan(Path dir) throws RenderException {
        Deque<Pending> pending = new ArrayDeque<>();
        pending.add(new Pending(dir, null));
        while (!pending.isEmpty()) {
            Pending next = pending.poll();
            if (!scanned.add(next.key())) {
                continue;
            }
            symlinks.walk(next.dir());
            Optional<Path> file = kustomizationFile(next.dir());
            if (file.isPresent()) {
                pending.addAll(scanKustomization(next, file.get()));
            }
        }
    }

    private List<Pending> scanKustomization(Pending at, Path file) throws RenderException {
        String name = relative(file);
        List<Pending> next = new ArrayList<>();
        // Kustomize reads the first document; a second one is checked too, in case a decoder reads it
        for (Node document : KustomizationYaml.all(readText(file, name), name)) {
            next.addAll(scanKustomization(at, name, document));
        }
        return next;
    }

    private List<Pending> scanKustomization(Pending at, String name, Node document) throws RenderException {
        List<Pending> next = new ArrayList<>();
        for (KustomizationYaml.Field f : KustomizationYaml.fields(document, name)) {
            String key = f.folded();
            int line = f.line();
            if (HELM_FIELDS.contains(key)) {
                throw RenderException.remoteRefused(name, line, f.name() + ": " + HELM_REFUSED);
            }
            if (at.plugin() != null && !PLUGIN_KUSTOMIZATION_FIELDS.contains(key)) {
                throw new RenderException(name, line, f.name() + ": not allowed in a kustomization that configures "
                        + at.plugin().via() + ": only its resources are checked as written, and " + f.name()
                        + " could rewrite them during the build");
            }
            if (DIRECTORY_FIELDS.contains(key)) {
                for (KustomizationYaml.Item item : KustomizationYaml.items(f.value())) {
                    Path target = local(at.dir(), ref(name, item.field(f.name()), item.node()));
                    if (target == null) {
                        continue;
                    }
                    if (isDirectory(target)) {
                        next.add(new Pending(target, at.plugin()));
                    } else if (at.plugin() != null) {
                        scanPluginFile(target, at.plugin().loaderDir());
                    }
                }
            } else if (PLUGIN_FIELDS.contains(key)) {
                next.addAll(scanPluginEntries(at, name, f));
            } else if (FILE_LIST_FIELDS.contains(key)) {
                for (KustomizationYaml.Item item : KustomizationYaml.items(f.value())) {
                    Ref ref = ref(name, item.field(f.name()), item.node());
                    if (ref != null && !(key.equals("patchesstrategicmerge") && inline(ref.value()))) {
                        local(at.dir(), ref);
                    }
                }
            } else if (PATH_ITEM_FIELDS.contains(key)) {
                for (KustomizationYaml.Item item : KustomizationYaml.items(f.value())) {
                    checkPaths(at.dir(), name, item.field(f.name()) + ".", item.node(), Set.of("path"));
                }
            } else if (GENERATOR_FIELDS.contains(key)) {
                for (KustomizationYaml.Item item : KustomizationYaml.items(f.value())) {
                    checkPaths(at.dir(), name, item.field(f.name()) + ".", item.node(), Set.of("files", "envs", "env"));
                }
            } else if (key.equals("openapi")) {
                checkPaths(at.dir(), name, f.name() + ".", f.value(), Set.of("path"));
            }
        }
        return next;
    }

    /**
     * Transformers, generators or validators: each entry is an inline configuration, a file of
     * configurations, or a kustomization whose resources are configurations (returned, to be scanned).
     */
    private List<Pending> scanPluginEntries(Pending at, String name, KustomizationYaml.Field f) throws RenderException {
        List<Pending> next = new ArrayList<>();
        for (KustomizationYaml.Item item : KustomizationYaml.items(f.value())) {
            String field = item.field(f.name());
            Ref ref = ref(name, field, item.node());
            if (ref == null) {
                continue;
            }
            if (KustomizationYaml.structured(ref.value())) {
                // Kustomize takes an entry that parses as objects for an inline configuration
                scanPluginDocuments(KustomizationYaml.all(ref.value(), name), name, field + ".", at.dir(), ref.line());
            }
            if (inline(ref.value())) {
                continue;
            }
            Path target = local(at.dir(), ref);
            if (target == null) {
                continue;
            }
            if (isDirectory(target)) {
                next.add(new Pending(target, new PluginUse(at.dir(), name + " " + field)));
            } else {
                scanPluginFile(target, at.dir());
            }
        }
        return next;
    }

    private void scanPluginFile(Path file, Path loaderDir) throws RenderException {
        String name = relative(file);
        scanPluginDocuments(KustomizationYaml.all(readText(file, name), name), name, "", loaderDir, 0);
    }

    /**
     * Checks the builtin plugin configurations that load files: PatchTransformer and PatchJson6902Transformer
     * ({@code path}), PatchStrategicMergeTransformer ({@code paths}), ReplacementTransformer
     * ({@code replacements[].path}), ConfigMapGenerator and SecretGenerator ({@code files}, {@code envs},
     * {@code env}); refuses HelmChartInflationGenerator. Other kinds are external plugins, which Kustomize
     * runs only with flags Drawbridge never passes.
     *
     * @param line the line of an inline configuration in its kustomization, 0 for a file
     */
    private void scanPluginDocuments(List<Node> documents, String file, String prefix, Path loaderDir, int line)
            throws RenderException {
        for (Node document : documents) {
            for (KustomizationYaml.Field f : KustomizationYaml.fields(document, file)) {
                int at = line > 0 ? line : f.line();
                if (f.folded().equals("kind") && f.value() instanceof ScalarNode kind
                        && KustomizationYaml.fold(KustomizationYaml.text(kind)).equals("helmchartinflationgenerator")) {
                    throw RenderException.remoteRefused(file, at, prefix + "kind: HelmChartInflationGenerator " + HELM_REFUSED);
                }
            }
            checkPaths(loaderDir, file, prefix, document, Set.of("path", "files", "envs", "env"), line);
            for (KustomizationYaml.Field f : KustomizationYaml.fields(document, file)) {
                if (f.folded().equals("paths")) {
                    for (KustomizationYaml.Item item : KustomizationYaml.items(f.value())) {
                        Ref ref = ref(file, prefix + item.field(f.name()), item.node(), line);
                        if (ref != null && !inline(ref.value())) {
                            local(loaderDir, ref);
                        }
                    }
                } else if (f.folded().equals("replacements")) {
                    for (KustomizationYaml.Item item : KustomizationYaml.items(f.value())) {
                        checkPaths(loaderDir, file, prefix + item.field(f.name()) + ".", item.node(), Set.of("path"), line);
                    }
                }
            }
        }
    }

    private void checkPaths(Path base, String file, String prefix, Node mapping, Set<String> names) throws RenderException {
        checkPaths(base, file, prefix, mapping, names, 0);
    }

    /** Checks the fields {@code names} (folded) of {@code mapping}; each is a path or a list of paths. */
    private void checkPaths(Path base, String file, String prefix, Node mapping, Set<String> names, int line)
            throws RenderException {
        for (KustomizationYaml.Field f : KustomizationYaml.fields(mapping, file)) {
            if (!names.contains(f.folded())) {
                continue;
            }
            boolean files = f.folded().equals("files");
            for (KustomizationYaml.Item item : KustomizationYaml.items(f.value())) {
                Ref ref = ref(file, prefix + item.field(f.name()), item.node(), line);
                if (ref == null) {
                    continue;
                }
                // generator files may be written `key=path`
                int eq = files ? ref.value().indexOf('=') : -1;
                local(base, eq < 0 ? ref : new Ref(ref.file(), ref.line(), ref.field(), ref.value().substring(eq + 1)));
            }
        }
    }

    private static Ref ref(String file, String field, Node node) {
        return ref(file, field, node, 0);
    }

    /** The path written at {@code node}, or null when it is not a string (Kustomize reports that). */
    private static Ref ref(String file, String field, Node node, int line) {
        if (!(node instanceof ScalarNode scalar)) {
            return null;
        }
        return new Ref(file, line > 0 ? line : KustomizationYaml.line(node), field, KustomizationYaml.text(scalar));
    }

    /** An inline patch or configuration rather than a path: Kustomize never fetches it. */
    private static boolean inline(String value) {
        String v = value.strip();
        return value.contains("\n") || v.startsWith("{") || v.startsWith("[");
    }

    /**
     * Refuses a remote reference, then resolves a local one (see {@link #confine}). Returns its real path,
     * or null when it does not exist or is empty.
     */
    private Path local(Path dir, Ref ref) throws RenderException {
        if (ref == null) {
            return null;
        }
        if (RemoteReferences.isRemote(ref.value())) {
            throw RenderException.remoteRefused(ref.file(), ref.line(), ref.field() + ": remote reference \""
                    + ref.value().strip() + "\" " + REFUSED);
        }
        return confine(dir, ref);
    }

    private boolean isDirectory(Path target) {
        Boolean directory = symlinks.plain(target);
        return directory != null ? directory : Files.isDirectory(target);
    }

    private String readText(Path file, String name) throws RenderException {
        try {
            String text = Files.readString(file);
            read.add(name);
            return text;
        } catch (IOException | UncheckedIOException e) {
            throw new RenderException(name, 0, "cannot read: " + e.getMessage());
        }
    }

    /**
     * Resolves a local entry against {@code dir} and refuses it when it leaves the checkout, lexically
     * ({@code ../../..}, an absolute path) or through a symlink. Returns its real path, or null when it does
     * not exist (Kustomize then reports it with its own message).
     */
    private Path confine(Path dir, Ref ref) throws RenderException {
        String value = ref.value().strip();
        if (value.isEmpty()) {
            return null;
        }
        Path resolved;
        try {
            resolved = dir.resolve(value).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new RenderException(ref.file(), ref.line(), ref.field() + ": \"" + value + "\" is not a valid path");
        }
        if (!resolved.startsWith(root)) {
            throw new RenderException(ref.file(), ref.line(), ref.field() + ": path \"" + value + "\" leaves the checkout");
        }
        if (symlinks.plain(resolved) != null) {
            return resolved;
        }
        if (!Files.exists(resolved)) {
            return null;
        }
        Path real = realPath(resolved);
        if (!real.startsWith(root)) {
            throw new RenderException(ref.file(), ref.line(), ref.field() + ": path \"" + value
                    + "\" leaves the checkout through a symlink");
        }
        return real;
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
