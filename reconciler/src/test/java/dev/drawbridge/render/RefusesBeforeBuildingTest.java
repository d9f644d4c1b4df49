package dev.drawbridge.render;

import dev.drawbridge.source.Checkout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What is refused before Kustomize runs: remote bases, escapes from the checkout, missing paths. */
class RefusesBeforeBuildingTest {

    @TempDir
    Path root;
    @TempDir
    Path outside;

    /** A stand-in for kustomize that leaves a trace when it runs; the tests show it never does. */
    private KustomizeRenderer tracingRenderer() {
        return new KustomizeRenderer(RenderSettings.defaults().withCommand(
                List.of("sh", "-c", "touch \"$0\"", outside.resolve("kustomize-ran").toString())));
    }

    private RenderException renderFails(String path) {
        Checkout checkout = Trees.checkout(root);
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> tracingRenderer().render(checkout, path));
        assertThat(thrown).isInstanceOf(RenderException.class);
        assertThat(outside.resolve("kustomize-ran")).doesNotExist();
        return (RenderException) thrown;
    }

    @Test
    void theTracingStandInRunsWhenNothingIsRefused() throws Exception {
        Trees.write(root, "app/kustomization.yaml", "resources: [deploy.yaml]\n");
        Trees.write(root, "app/deploy.yaml", Trees.deployment("api", "shop", "nginx"));
        assertThat(tracingRenderer().render(Trees.checkout(root), "app")).isEmpty();
        assertThat(outside.resolve("kustomize-ran")).exists();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "https://github.com/stefanprodan/podinfo//kustomize?ref=6.7.0",
            "github.com/stefanprodan/podinfo/kustomize?ref=6.7.0",
            "git::https://gitlab.com/org/repo.git//deploy",
            "git@github.com:org/repo.git",
            "ssh://git@example.com/org/repo.git",
            "example.com/org/repo//deploy",
            "gitlab.com/org/repo/deploy",
            "./base?ref=main",
            "http://example.com/manifests.yaml",
    })
    void refusesRemoteBaseBeforeBuilding(String entry) {
        Trees.write(root, "overlays/prod/kustomization.yaml", """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                namespace: prod
                resources:
                  - namespace.yaml
                  - %s
                """.formatted(entry));
        Trees.write(root, "overlays/prod/namespace.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: prod}\n");

        RenderException e = renderFails("overlays/prod");

        assertThat(e.file()).isEqualTo("overlays/prod/kustomization.yaml");
        assertThat(e.line()).isEqualTo(6);
        assertThat(e.kind()).isEqualTo(RenderException.Kind.REMOTE_REFUSED);
        assertThat(e.getMessage()).isEqualTo("overlays/prod/kustomization.yaml:6: resources[1]: remote reference \"" + entry
                + "\" refused: only paths inside the repository are rendered");
    }

    @Test
    void refusesRemoteComponentOfANestedBaseNamingItsFile() {
        Trees.write(root, "overlays/dev/kustomization.yaml", "resources:\n- ../../base\n");
        Trees.write(root, "base/kustomization.yaml", """
                resources:
                - deploy.yaml
                components:

                  - github.com/org/components/otel?ref=v1
                """);
        Trees.write(root, "base/deploy.yaml", Trees.deployment("api", "shop", "nginx"));

        RenderException e = renderFails("overlays/dev");

        assertThat(e.getMessage()).isEqualTo("base/kustomization.yaml:5: components[0]: remote reference"
                + " \"github.com/org/components/otel?ref=v1\" refused: only paths inside the repository are rendered");
    }

    @Test
    void refusesRemoteBasesInTheLegacyBasesField() {
        Trees.write(root, "app/kustomization.yml", "bases:\n- git::https://example.com/repo.git\n");
        assertThat(renderFails("app").getMessage()).startsWith("app/kustomization.yml:2: bases[0]: remote reference \"git::https://example.com/repo.git\"");
    }

    @Test
    void acceptsLocalDirectoriesWithDotsInTheirNames() throws Exception {
        Trees.write(root, "app/kustomization.yaml", "resources:\n- ../base.v2\n");
        Trees.write(root, "base.v2/kustomization.yaml", "resources:\n- deploy.yaml\n");
        Trees.write(root, "base.v2/deploy.yaml", Trees.deployment("api", "shop", "nginx"));
        assertThat(new KustomizeRenderer().render(Trees.checkout(root), "app")).hasSize(1);
    }

    @Test
    void refusesSymlinkThatLeavesTheCheckout() throws Exception {
        Files.writeString(outside.resolve("secret.yaml"), "apiVersion: v1\nkind: Secret\nmetadata: {name: stolen}\n");
        Trees.write(root, "app/kustomization.yaml", "resources:\n- deploy.yaml\n- secret.yaml\n");
        Trees.write(root, "app/deploy.yaml", Trees.deployment("api", "shop", "nginx"));
        Files.createSymbolicLink(root.resolve("app/secret.yaml"), outside.resolve("secret.yaml"));

        RenderException e = renderFails("app");

        assertThat(e.file()).isEqualTo("app/secret.yaml");
        assertThat(e.getMessage()).contains("leaves the checkout");
    }

    @Test
    void refusesSymlinkedDirectoryDeepInABaseThatLeavesTheCheckout() throws Exception {
        Trees.write(root, "overlays/dev/kustomization.yaml", "resources:\n- ../../base\n");
        Trees.write(root, "base/kustomization.yaml", "resources:\n- deploy.yaml\n");
        Trees.write(root, "base/deploy.yaml", Trees.deployment("api", "shop", "nginx"));
        Files.createDirectories(root.resolve("base/files/nested"));
        Files.createSymbolicLink(root.resolve("base/files/nested/etc"), Path.of("/etc"));

        assertThat(renderFails("overlays/dev").getMessage())
                .isEqualTo("base/files/nested/etc: symlink to \"/etc\" leaves the checkout");
    }

    @Test
    void ignoresEscapingSymlinksOutsideWhatTheOverlayReads() throws Exception {
        Trees.write(root, "app/kustomization.yaml", "resources:\n- deploy.yaml\n");
        Trees.write(root, "app/deploy.yaml", Trees.deployment("api", "shop", "nginx"));
        Files.createDirectories(root.resolve("unrelated"));
        Files.createSymbolicLink(root.resolve("unrelated/etc"), Path.of("/etc"));
        assertThat(new KustomizeRenderer().render(Trees.checkout(root), "app")).hasSize(1);
    }

    @Test
    void refusesRenderPathThatIsASymlinkOutOfTheCheckout() throws Exception {
        Files.createSymbolicLink(root.resolve("elsewhere"), outside);
        RenderException e = renderFails("elsewhere");
        assertThat(e.getMessage()).isEqualTo("elsewhere: path leaves the checkout through a symlink");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"../..", "..", "app/../../x", "/etc"})
    void refusesRenderPathOutsideTheCheckout(String path) {
        Trees.write(root, "app/kustomization.yaml", "resources: []\n");
        RenderException e = renderFails(path);
        assertThat(e.getMessage()).isEqualTo(path + ": path leaves the checkout");
    }

    @Test
    void refusesResourceThatClimbsOutOfTheCheckout() {
        Trees.write(root, "app/kustomization.yaml", "resources:\n  - deploy.yaml\n  - ../../../../../etc/kubernetes\n");
        Trees.write(root, "app/deploy.yaml", Trees.deployment("api", "shop", "nginx"));
        assertThat(renderFails("app").getMessage())
                .isEqualTo("app/kustomization.yaml:3: resources[1]: path \"../../../../../etc/kubernetes\" leaves the checkout");
    }

    @Test
    void refusesPatchAndGeneratorFilesOutsideTheCheckout() {
        Trees.write(root, "app/kustomization.yaml", """
                resources: [deploy.yaml]
                configMapGenerator:
                  - name: cfg
                    files:
                      - passwd=../../../../../../etc/passwd
                """);
        Trees.write(root, "app/deploy.yaml", Trees.deployment("api", "shop", "nginx"));
        assertThat(renderFails("app").getMessage())
                .isEqualTo("app/kustomization.yaml:5: configMapGenerator[0].files[0]: path \"../../../../../../etc/passwd\" leaves the checkout");
    }

    /** Each field Kustomize loads a path from: the kustomization with P for the path, and the field named. */
    static Stream<Arguments> pathFields() {
        return Stream.of(
                Arguments.of("resources:\n- P\n", "resources[0]"),
                Arguments.of("bases:\n- P\n", "bases[0]"),
                Arguments.of("components:\n- P\n", "components[0]"),
                Arguments.of("patches:\n- path: P\n", "patches[0].path"),
                Arguments.of("patchesStrategicMerge:\n- P\n", "patchesStrategicMerge[0]"),
                Arguments.of("patchesJson6902:\n- target: {kind: ConfigMap}\n  path: P\n", "patchesJson6902[0].path"),
                Arguments.of("replacements:\n- path: P\n", "replacements[0].path"),
                Arguments.of("configMapGenerator:\n- name: g\n  files: [k=P]\n", "configMapGenerator[0].files[0]"),
                Arguments.of("configMapGenerator:\n- name: g\n  envs: [P]\n", "configMapGenerator[0].envs[0]"),
                Arguments.of("secretGenerator:\n- name: g\n  env: P\n", "secretGenerator[0].env"),
                Arguments.of("crds:\n- P\n", "crds[0]"),
                Arguments.of("configurations:\n- P\n", "configurations[0]"),
                Arguments.of("openapi:\n  path: P\n", "openapi.path"),
                Arguments.of("transformers:\n- P\n", "transformers[0]"),
                Arguments.of("generators:\n- P\n", "generators[0]"),
                Arguments.of("validators:\n- P\n", "validators[0]"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("pathFields")
    void refusesAPathClimbingOutOfTheCheckoutInEveryField(String kustomization, String field) {
        Trees.write(root, "app/kustomization.yaml", kustomization.replace("P", "../../../../../../etc/passwd"));
        RenderException e = renderFails("app");
        assertThat(e.kind()).isEqualTo(RenderException.Kind.FAILED);
        assertThat(e.getMessage()).startsWith("app/kustomization.yaml:").endsWith(": " + field
                + ": path \"../../../../../../etc/passwd\" leaves the checkout");
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("pathFields")
    void refusesAnAbsolutePathInEveryField(String kustomization, String field) {
        Trees.write(root, "app/kustomization.yaml", kustomization.replace("P", "/etc/passwd"));
        assertThat(renderFails("app").getMessage()).endsWith(": " + field + ": path \"/etc/passwd\" leaves the checkout");
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("pathFields")
    void refusesAPathThroughASymlinkOutOfTheCheckoutInEveryField(String kustomization, String field) throws Exception {
        // the link sits outside the directories the symlink walk reads, so the path check itself must catch it
        Files.createDirectories(root.resolve("links"));
        Files.createSymbolicLink(root.resolve("links/out"), outside);
        Files.writeString(outside.resolve("file"), "A=1\n");
        Trees.write(root, "app/kustomization.yaml", kustomization.replace("P", "../links/out/file"));
        assertThat(renderFails("app").getMessage()).endsWith(": " + field
                + ": path \"../links/out/file\" leaves the checkout through a symlink");
    }

    @Test
    void refusesMissingDirectory() {
        assertThat(renderFails("overlays/nope").getMessage()).isEqualTo("overlays/nope: directory does not exist in the checkout");
    }

    @Test
    void reportsMalformedKustomizationWithFileAndLine() {
        Trees.write(root, "app/kustomization.yaml", "resources:\n  - a.yaml\n - b.yaml\n");
        RenderException e = renderFails("app");
        assertThat(e.file()).isEqualTo("app/kustomization.yaml");
        assertThat(e.line()).isEqualTo(3);
    }
}
