package dev.drawbridge.yaml;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

import java.io.StringReader;

/**
 * The one place where a YAML parser is set up (checked in the build): SnakeYAML, directly or under Jackson, with
 * the bounds of a {@link YamlLimits} and hardened the same way everywhere: duplicate keys refused (where the
 * constructor builds a map), recursive keys refused, and no global tag ({@code !!python/object},
 * {@code !!java...}) ever resolved to a type. Which limits to use for what is in docs/internals.md.
 */
public final class YamlLoader {

    private YamlLoader() {
    }

    /** SnakeYAML's options within {@code limits}, hardened. */
    public static LoaderOptions options(YamlLimits limits) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(limits.maxCodePoints());
        options.setMaxAliasesForCollections(limits.maxAliases());
        options.setNestingDepthLimit(limits.maxDepth());
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        options.setWrappedToRootException(false);
        options.setTagInspector(tag -> false);
        return options;
    }

    /**
     * A composer of the documents of {@code text} into SnakeYAML nodes (with their lines), within {@code limits}
     * (YAML 1.1 resolution, as {@code kubectl} and Kustomize read manifests). Counting documents and nodes is the
     * caller's.
     */
    public static Composer composer(String text, YamlLimits limits) {
        LoaderOptions options = options(limits);
        return new Composer(new ParserImpl(new StreamReader(new StringReader(text)), options), new Resolver(), options);
    }

    /** Jackson's YAML parser factory within {@code limits}, telling quoted scalars and anchors (for {@link YamlTrees}). */
    static QuoteAwareYamlFactory jackson(YamlLimits limits) {
        return new QuoteAwareYamlFactory(options(limits));
    }
}
