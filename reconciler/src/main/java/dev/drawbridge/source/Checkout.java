package dev.drawbridge.source;

import java.nio.file.Path;

/**
 * A tree materialised at one revision into a private directory.
 *
 * @param revision the revision, or null for a local directory that is not a Git checkout
 * @param root     the directory holding the tree; rendering is confined to it
 */
public record Checkout(Revision revision, Path root) {
}
