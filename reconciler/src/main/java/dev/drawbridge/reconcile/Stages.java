package dev.drawbridge.reconcile;

import dev.drawbridge.gate.Gate;
import dev.drawbridge.image.ImageInspector;
import dev.drawbridge.registry.ImageLookup;
import dev.drawbridge.render.Renderer;
import dev.drawbridge.source.GitSource;

import java.time.Clock;

/**
 * The stage implementations one engine runs with, built once from the configuration (or by a test).
 *
 * @param source    fetches branches and materialises trees
 * @param renderer  renders a path of a tree
 * @param inspector finds the images of rendered objects
 * @param lookup    asks the registries about images (concurrent, coalesced, cached)
 * @param clock     the time every rule is judged at
 */
public record Stages(GitSource source, Renderer renderer, ImageInspector inspector, ImageLookup lookup, Clock clock) {

    public Gate gate() {
        return new Gate(lookup, clock);
    }
}
