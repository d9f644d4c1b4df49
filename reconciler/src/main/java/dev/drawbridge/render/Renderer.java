package dev.drawbridge.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.source.Checkout;

import java.util.List;

/** The render stage: a directory of a checkout in, Kubernetes objects out. */
public interface Renderer {

    /**
     * Renders {@code path} (relative to {@code checkout.root()}).
     *
     * @return every object, each with {@code apiVersion}, {@code kind} and {@code metadata.name};
     *         {@code kind: List} documents are flattened into their items
     */
    List<ObjectNode> render(Checkout checkout, String path) throws RenderException;
}
