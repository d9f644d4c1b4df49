package dev.drawbridge.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.image.ImageInspector;
import dev.drawbridge.image.ImageUse;
import dev.drawbridge.image.InspectResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Renders the real-world trees in ../shared/realworld and checks that every image the raw
 * {@code kubectl kustomize} output mentions is found by inspect, and nothing else.
 */
class RealWorldTreesTest {

    private static final Pattern IMAGE_LINE = Pattern.compile("^\\s*(?:- )?image: (\\S+)\\s*$", Pattern.MULTILINE);
    private static final Pattern KIND_LINE = Pattern.compile("^kind: ", Pattern.MULTILINE);

    @TempDir
    Path root;

    private final KustomizeRenderer renderer = new KustomizeRenderer();

    @ParameterizedTest(name = "podinfo overlay {0}")
    @ValueSource(strings = {"dev", "staging", "production"})
    void rendersPodinfoOverlaysAndFindsEveryImage(String overlay) throws Exception {
        Trees.copy(Trees.REALWORLD.resolve("podinfo/deploy"), root.resolve("deploy"));
        String path = "deploy/overlays/" + overlay;

        List<ObjectNode> objects = renderer.render(Trees.checkout(root), path);
        String raw = kubectlKustomize(root.resolve(path));

        assertThat(objects).hasSize(count(KIND_LINE, raw));
        assertThat(objects).filteredOn(o -> !o.path("kind").asText().equals("Namespace"))
                .allSatisfy(o -> assertThat(o.path("metadata").path("namespace").asText()).isEqualTo(overlay));
        InspectResult inspected = new ImageInspector().inspect(objects);
        assertThat(inspected.errors()).isEmpty();
        assertThat(references(inspected)).isEqualTo(imagesIn(raw))
                .contains("ghcr.io/stefanprodan/podinfo:6.14.1", "docker.io/redis:8.8.0");
        assertThat(inspected.images()).filteredOn(u -> u.reference().equals("ghcr.io/stefanprodan/podinfo:6.14.1"))
                .singleElement().satisfies(u -> assertThat(u.workloads())
                        .contains("apps/v1/Deployment/" + overlay + "/frontend", "apps/v1/Deployment/" + overlay + "/backend"));
    }

    @ParameterizedTest(name = "microservices-demo {0}")
    @ValueSource(strings = {"", "tests/memorystore-with-all-components", "tests/service-mesh-istio-with-all-components",
            "tests/spanner-with-all-components"})
    void rendersMicroservicesDemoWithComponentsAndFindsEveryImage(String sub) throws Exception {
        Trees.copy(Trees.REALWORLD.resolve("microservices-demo/kustomize"), root.resolve("kustomize"));
        String path = sub.isEmpty() ? "kustomize" : "kustomize/" + sub;

        List<ObjectNode> objects = renderer.render(Trees.checkout(root), path);
        String raw = kubectlKustomize(root.resolve(path));

        assertThat(objects).hasSize(count(KIND_LINE, raw));
        InspectResult inspected = new ImageInspector().inspect(objects);
        assertThat(inspected.errors()).isEmpty();
        assertThat(references(inspected)).isEqualTo(imagesIn(raw))
                .contains("us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo/frontend:v0.10.6",
                        "busybox:1.38.0@sha256:fd8d9aa63ba2f0982b5304e1ee8d3b90a210bc1ffb5314d980eb6962f1a9715d");
        if (!sub.isEmpty()) {
            // the memorystore and spanner components replace the in-cluster redis; all add the otel collector
            assertThat(references(inspected)).anyMatch(r -> r.startsWith("otel/opentelemetry-collector-contrib:"));
            return;
        }
        ImageUse redis = inspected.images().stream().filter(u -> u.reference().equals("redis:alpine")).findFirst().orElseThrow();
        assertThat(redis.parsed().normalized()).isEqualTo("docker.io/library/redis:alpine");
        assertThat(redis.workloads()).containsExactly("apps/v1/Deployment/redis-cart");
    }

    @Test
    void rendersAnOverlayThatChangesImagesWithTheImagesTransformer() throws Exception {
        Trees.copy(Trees.REALWORLD.resolve("podinfo/deploy"), root.resolve("deploy"));
        Trees.write(root, "deploy/overlays/pinned/kustomization.yaml", """
                resources: [../dev]
                images:
                  - name: ghcr.io/stefanprodan/podinfo
                    newName: harbor.example.com/mirror/podinfo
                    newTag: 6.14.1
                """);
        InspectResult inspected = new ImageInspector().inspect(renderer.render(Trees.checkout(root), "deploy/overlays/pinned"));
        assertThat(references(inspected)).containsExactlyInAnyOrder("harbor.example.com/mirror/podinfo:6.14.1", "docker.io/redis:8.8.0");
    }

    @Test
    void reportsMalformedImageReferencesOfARenderedWorkload() throws Exception {
        Trees.write(root, "app/kustomization.yaml", "resources: [deploy.yaml]\n");
        Trees.write(root, "app/deploy.yaml", Trees.deployment("api", "shop", "\"harbor.example.com/Shop/api:1\"")
                + "---\n" + Trees.deployment("web", "shop", "\"nginx:\""));
        InspectResult inspected = new ImageInspector().inspect(renderer.render(Trees.checkout(root), "app"));
        assertThat(inspected.images()).isEmpty();
        assertThat(inspected.errors()).hasSize(2).allSatisfy(e ->
                assertThat(e.field()).isEqualTo("spec.template.spec.containers[0].image"));
        assertThat(inspected.errors()).extracting(e -> e.workload())
                .containsExactly("apps/v1/Deployment/shop/api", "apps/v1/Deployment/shop/web");
        assertThat(inspected.errors().get(1).message()).contains("\"nginx:\"");
    }

    private static Set<String> references(InspectResult result) {
        return result.images().stream().map(ImageUse::reference).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> imagesIn(String raw) {
        Set<String> images = new TreeSet<>();
        Matcher m = IMAGE_LINE.matcher(raw);
        while (m.find()) {
            images.add(m.group(1).replaceAll("^[\"']|[\"']$", ""));
        }
        return images;
    }

    private static int count(Pattern pattern, String raw) {
        return (int) pattern.matcher(raw).results().count();
    }

    /** The expectation is computed independently of the renderer: plain kubectl, plain regex. */
    private static String kubectlKustomize(Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return out;
    }
}
