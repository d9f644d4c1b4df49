package dev.drawbridge.source;

/**
 * A local directory to render, seen from the top of the Git work tree that contains it.
 *
 * @param checkout the work tree (revision = HEAD, uncommitted changes included), or the directory
 *                 itself with a null revision when it is not inside a Git work tree
 * @param path     the directory relative to {@code checkout.root()}, with {@code /} separators;
 *                 {@code "."} when it is the root itself
 */
public record LocalTree(Checkout checkout, String path) {
}
