package dev.drawbridge.yaml;

/**
 * The bounds within which YAML is read, so that a hostile file (an alias bomb, a deeply nested or huge
 * document) is a clean error rather than an out-of-memory or a hang. Every YAML parser of the project is set
 * up from one of these by {@link YamlLoader}; the parser enforces size, aliases and nesting, the reader on top
 * of it the document and node counts.
 *
 * @param maxCodePoints largest input accepted, in code points
 * @param maxAliases    most aliases ({@code *name}) accepted in one document
 * @param maxDepth      deepest nesting of mappings and sequences accepted
 * @param maxDocuments  most documents (for Kubernetes manifests: objects) accepted in one input
 * @param maxNodes      most nodes one document may expand to once its aliases are resolved
 */
public record YamlLimits(int maxCodePoints, int maxAliases, int maxDepth, int maxDocuments, long maxNodes) {

    /** Most aliases accepted in any document. */
    public static final int MAX_ALIASES = 50;

    /**
     * The files people write by hand (the configuration, the gate policies): one document of at most 4 MiB,
     * 64 levels and 100 000 nodes.
     */
    public static final YamlLimits HAND_WRITTEN = new YamlLimits(4 * 1024 * 1024, MAX_ALIASES, 64, 1, 100_000);

    /**
     * Kustomizations and the plugin configurations and patches they hold, read to be scanned before a build:
     * SnakeYAML's default size (3 MiB), 100 levels, any number of documents.
     */
    public static final YamlLimits KUSTOMIZATION = new YamlLimits(3 * 1024 * 1024, MAX_ALIASES, 100, Integer.MAX_VALUE,
            1_000_000);

    public YamlLimits {
        if (maxCodePoints <= 0 || maxAliases < 0 || maxDepth <= 0 || maxDocuments <= 0 || maxNodes <= 0) {
            throw new IllegalArgumentException("Invalid YAML limits: " + maxCodePoints + " code points, " + maxAliases
                    + " aliases, depth " + maxDepth + ", " + maxDocuments + " documents, " + maxNodes + " nodes");
        }
    }

    /**
     * Kubernetes manifests (the output of {@code kustomize build}, the files of a plain directory): as large and
     * with as many objects as the render settings allow, 100 levels, and a million nodes per document (the
     * largest CRDs have tens of thousands).
     *
     * @param maxBytes     the largest input, in bytes (capped at what a parser can count)
     * @param maxDocuments the most objects
     */
    public static YamlLimits manifests(long maxBytes, int maxDocuments) {
        return new YamlLimits((int) Math.min(Integer.MAX_VALUE, maxBytes), MAX_ALIASES, 100, maxDocuments, 1_000_000);
    }
}
