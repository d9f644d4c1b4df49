package dev.drawbridge.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.image.ImageInspector;
import dev.drawbridge.image.InspectResult;
import dev.drawbridge.render.RenderException;
import dev.drawbridge.render.Renderer;
import dev.drawbridge.source.Checkout;
import dev.drawbridge.source.SourceException;
import dev.drawbridge.values.EnvironmentName;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stage {@code render}: the objects of a tree's path. Kustomize's output depends only on the tree (a commit) and
 * the path, so the last render of each environment is kept and reused while both are the same: a reconcile
 * with nothing new does not run Kustomize. Callers get copies they may change, read from the kept render only when
 * they are used.
 */
final class RenderStage {

    private final Renderer renderer;
    private final Map<EnvironmentName, KeptRender> rendered = new ConcurrentHashMap<>();
    private final Map<EnvironmentName, Inspected> inspected = new ConcurrentHashMap<>();

    /** What stage {@code inspect} found in the kept render of a revision and path. */
    private record Inspected(String sha, String path, InspectResult result) {
    }

    RenderStage(Renderer renderer) {
        this.renderer = renderer;
    }

    List<ObjectNode> render(EnvironmentName environment, SourceStage.Tree tree) throws StageFailure {
        try {
            return renderKept(environment, tree);
        } catch (SourceException e) {
            throw new StageFailure(Reason.SOURCE_FAILED, "source: " + e.getMessage());
        } catch (RenderException e) {
            if (e.kind() == RenderException.Kind.REMOTE_REFUSED) {
                throw new StageFailure(Reason.RENDER_REMOTE_REFUSED, "render: " + Reason.RENDER_REMOTE_REFUSED + ": " + e.getMessage());
            }
            throw new StageFailure(Reason.RENDER_FAILED, "render: " + e.getMessage());
        }
    }

    /**
     * Stage {@code inspect}: the image references of {@code objects}, the render of {@code tree}. Like the render
     * (and on the same terms: a tree fetched from Git, never a local directory), what it found is kept and reused
     * while the revision and the path are the same.
     */
    InspectResult inspect(EnvironmentName environment, SourceStage.Tree tree, List<ObjectNode> objects, ImageInspector inspector) {
        String sha = tree.revision() == null ? null : tree.revision().hex();
        String path = tree.path();
        KeptRender kept = rendered.get(environment);
        if (sha == null || tree.remote() == null || kept == null || !kept.sha().equals(sha) || !kept.path().equals(path)) {
            return inspector.inspect(objects);          // not a kept render: nothing kept either
        }
        Inspected last = inspected.get(environment);
        if (last != null && last.sha().equals(sha) && last.path().equals(path)) {
            return last.result();
        }
        InspectResult result = inspector.inspect(objects);
        inspected.put(environment, new Inspected(sha, path, result));
        return result;
    }

    /**
     * The render of the tree's files, once they are known to be those of its revision: when the source found them
     * changed behind its back while they were read, what was read (or the error it gave) is dropped and the tree,
     * written whole again, is rendered again.
     */
    private List<ObjectNode> renderTree(SourceStage.Tree tree) throws RenderException, SourceException {
        Checkout checkout = tree.checkout();
        try {
            List<ObjectNode> objects = renderer.render(checkout, tree.path());
            if (checkout.intact()) {
                return objects;
            }
        } catch (RenderException e) {
            if (checkout.intact()) {
                throw e;
            }
        }
        return renderer.render(tree.checkoutAgain(), tree.path());
    }

    private List<ObjectNode> renderKept(EnvironmentName environment, SourceStage.Tree tree) throws RenderException, SourceException {
        String sha = tree.revision() == null ? null : tree.revision().hex();
        if (sha == null || tree.remote() == null) { // a local directory may hold changes its revision does not
            return renderTree(tree);
        }
        KeptRender last = rendered.get(environment);
        if (last != null && last.sha().equals(sha) && last.path().equals(tree.path())) {
            return last.objects();
        }
        List<ObjectNode> objects = renderTree(tree);
        last = KeptRender.of(sha, tree.path(), objects);
        rendered.put(environment, last);
        // kept as JSON, the fresh trees are the caller's; kept as trees, the caller gets copies
        return last.json() != null ? last.objects(objects) : last.objects();
    }
}
