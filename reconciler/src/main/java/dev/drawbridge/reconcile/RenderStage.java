package dev.drawbridge.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.render.RenderException;
import dev.drawbridge.render.Renderer;
import dev.drawbridge.values.EnvironmentName;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stage {@code render}: the objects of a tree's path. Kustomize's output depends only on the tree (a commit) and
 * the path, so the last render of each environment is kept and reused while both are the same: a reconcile
 * with nothing new does not run Kustomize. Callers get copies they may change.
 */
final class RenderStage {

    private final Renderer renderer;
    private final Map<EnvironmentName, KeptRender> rendered = new ConcurrentHashMap<>();

    RenderStage(Renderer renderer) {
        this.renderer = renderer;
    }

    List<ObjectNode> render(EnvironmentName environment, SourceStage.Tree tree) throws StageFailure {
        try {
            return renderKept(environment, tree);
        } catch (RenderException e) {
            if (e.kind() == RenderException.Kind.REMOTE_REFUSED) {
                throw new StageFailure(Reason.RENDER_REMOTE_REFUSED, "render: " + Reason.RENDER_REMOTE_REFUSED + ": " + e.getMessage());
            }
            throw new StageFailure(Reason.RENDER_FAILED, "render: " + e.getMessage());
        }
    }

    private List<ObjectNode> renderKept(EnvironmentName environment, SourceStage.Tree tree) throws RenderException {
        String sha = tree.revision() == null ? null : tree.revision().hex();
        if (sha == null || tree.remote() == null) { // a local directory may hold changes its revision does not
            return renderer.render(tree.checkout(), tree.path());
        }
        KeptRender last = rendered.get(environment);
        if (last != null && last.sha().equals(sha) && last.path().equals(tree.path())) {
            return last.copy();
        }
        List<ObjectNode> objects = renderer.render(tree.checkout(), tree.path());
        last = KeptRender.of(sha, tree.path(), objects);
        rendered.put(environment, last);
        // kept as JSON, the fresh trees are the caller's; kept as trees, the caller gets copies
        return last.json() != null ? objects : last.copy();
    }
}
