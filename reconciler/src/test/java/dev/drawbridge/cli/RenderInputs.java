package dev.drawbridge.cli;

import dev.drawbridge.cli.BadInputsTest.Case;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.stream.Stream;

import static dev.drawbridge.cli.BadInputsTest.defaults;
import static dev.drawbridge.cli.BadInputsTest.manifest;

/**
 * The hostile inputs of the render and inspect stages for {@link BadInputsTest}: a URL in every field
 * Kustomize loads from (so a pull request could make Drawbridge fetch it), Helm charts, URLs hidden in
 * plugin configurations, nested components and bases, the spellings Kustomize's decoder also accepts,
 * symlinked kustomizations, paths that leave the repository, and image volumes whose image cannot be
 * checked. That a URL is never requested is shown in {@code render.RemoteFieldsTest} and
 * {@link UnreviewedContentTest}; here each is one clear error and exit 2.
 */
final class RenderInputs {

    static final String REFUSED = "RENDER_REMOTE_REFUSED: app/kustomization.yaml:";
    static final String HEAD = "resources:\n  - deployment.yaml\n";

    private RenderInputs() {
    }

    /** A kustomization for {@code app} with {@code tail} after its resources; the error must name {@code field}. */
    static Case refused(String name, String tail, int line, String field) {
        return manifest("render: " + name, "app/kustomization.yaml", HEAD + tail, REFUSED + line + ": " + field + ": ");
    }

    static Case onBranch(String name, String expected, String... pathsAndContents) {
        return new Case("render: " + name, f -> {
            f.repo.checkout("env/production");
            for (int i = 0; i < pathsAndContents.length; i += 2) {
                f.repo.write(pathsAndContents[i], pathsAndContents[i + 1]);
            }
            f.repo.commitAll("change");
            f.repo.checkout("main");
            return defaults(f);
        }, expected);
    }

    static Case withVolume(String name, String volume, String expected) {
        return manifest("inspect: " + name, "app/deployment.yaml", BadInputsTest.deployment(CheckFixture.IMAGE)
                + "      volumes:\n        - " + volume + "\n", expected);
    }

    static Case symlinkedKustomization(String name, String target, String expected) {
        return new Case("render: " + name, f -> {
            f.repo.checkout("env/production");
            f.repo.write("shared/kustomization.yaml", HEAD.replace("deployment.yaml", "../app/deployment.yaml"));
            Path link = f.repo.dir().resolve("app/kustomization.yaml");
            Files.delete(link);
            Files.createSymbolicLink(link, Path.of(target));
            f.repo.commitAll("symlinked kustomization");
            f.repo.checkout("main");
            return defaults(f);
        }, expected);
    }

    static Stream<Case> cases() {
        String url = "https://attacker.example/patch.yaml";
        String binary = Base64.getEncoder().encodeToString(url.getBytes());
        return Stream.of(
                refused("URL in patches[].path", "patches:\n  - path: " + url + "\n", 4, "patches[0].path"),
                refused("URL in patchesStrategicMerge", "patchesStrategicMerge:\n  - " + url + "\n", 4, "patchesStrategicMerge[0]"),
                refused("URL in patchesJson6902[].path", "patchesJson6902:\n  - target: {group: apps, version: v1, kind: Deployment, name: api}\n"
                        + "    path: " + url + "\n", 5, "patchesJson6902[0].path"),
                refused("URL in replacements[].path", "replacements:\n  - path: " + url + "\n", 4, "replacements[0].path"),
                refused("URL in configMapGenerator files (key=path)", "configMapGenerator:\n  - name: cfg\n    files: [\"app.conf=" + url + "\"]\n",
                        5, "configMapGenerator[0].files[0]"),
                refused("URL in configMapGenerator envs", "configMapGenerator:\n  - name: cfg\n    envs: [" + url + "]\n",
                        5, "configMapGenerator[0].envs[0]"),
                refused("URL in secretGenerator env", "secretGenerator:\n  - name: creds\n    env: " + url + "\n", 5, "secretGenerator[0].env"),
                refused("URL in crds", "crds:\n  - " + url + "\n", 4, "crds[0]"),
                refused("URL in configurations", "configurations:\n  - " + url + "\n", 4, "configurations[0]"),
                refused("URL in openapi.path", "openapi:\n  path: " + url + "\n", 4, "openapi.path"),
                refused("URL in transformers", "transformers:\n  - " + url + "\n", 4, "transformers[0]"),
                refused("URL in generators", "generators:\n  - " + url + "\n", 4, "generators[0]"),
                refused("URL in validators", "validators:\n  - " + url + "\n", 4, "validators[0]"),
                refused("ssh:// URL in components", "components:\n  - ssh://git@example.com/org/components.git\n", 4, "components[0]"),
                refused("git@host: address in bases", "bases:\n  - git@github.com:org/base.git\n", 4, "bases[0]"),
                refused("helmCharts", "helmCharts:\n  - name: redis\n    repo: https://charts.example/\n    version: 1.0.0\n", 3, "helmCharts"),
                refused("helmGlobals", "helmGlobals:\n  chartHome: charts\n", 3, "helmGlobals"),
                refused("inline HelmChartInflationGenerator", "generators:\n  - |\n    apiVersion: builtin\n"
                        + "    kind: HelmChartInflationGenerator\n    metadata: {name: redis}\n    repo: https://charts.example/\n",
                        4, "generators[0].kind"),
                refused("URL in an inline PatchTransformer", "transformers:\n  - '{apiVersion: builtin, kind: PatchTransformer,"
                        + " metadata: {name: p}, path: \"" + url + "\"}'\n", 4, "transformers[0].path"),
                refused("URL under a field name in another case", "Patches:\n  - PATH: " + url + "\n", 4, "Patches[0].PATH"),
                refused("URL written as !!binary", "patches:\n  - path: !!binary " + binary + "\n", 4, "patches[0].path"),
                onBranch("URL in a transformer configuration file",
                        "RENDER_REMOTE_REFUSED: app/patch-transformer.yaml:4: path: remote reference",
                        "app/kustomization.yaml", HEAD + "transformers: [patch-transformer.yaml]\n",
                        "app/patch-transformer.yaml", "apiVersion: builtin\nkind: PatchTransformer\nmetadata: {name: p}\npath: " + url + "\n"),
                onBranch("URL reached through a nested component",
                        "RENDER_REMOTE_REFUSED: components/inner/kustomization.yaml:4: patches[0].path: remote reference \"" + url + "\"",
                        "app/kustomization.yaml", HEAD + "components: [../components/outer]\n",
                        "components/outer/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n"
                                + "components: [../inner]\n",
                        "components/inner/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n"
                                + "patches:\n  - path: " + url + "\n"),
                onBranch("URL reached through a base",
                        "RENDER_REMOTE_REFUSED: base/kustomization.yaml:3: crds[0]: remote reference",
                        "app/kustomization.yaml", "resources: [../base]\n",
                        "base/kustomization.yaml", "resources: [../app/deployment.yaml]\ncrds:\n  - " + url + "\n"),
                symlinkedKustomization("symlinked kustomization inside the repository", "../shared/kustomization.yaml",
                        "app/kustomization.yaml: kustomization file is a symlink (to \"../shared/kustomization.yaml\"): refused"),
                symlinkedKustomization("symlinked kustomization leaving the repository", "/etc/hostname",
                        "app/kustomization.yaml: kustomization file is a symlink (to \"/etc/hostname\"): refused"),
                manifest("render: patch path climbing out of the repository", "app/kustomization.yaml",
                        HEAD + "patches:\n  - path: ../../../../etc/passwd\n",
                        "app/kustomization.yaml:4: patches[0].path: path \"../../../../etc/passwd\" leaves the checkout"),
                manifest("render: absolute path in crds", "app/kustomization.yaml", HEAD + "crds:\n  - /etc/kubernetes/crd.yaml\n",
                        "app/kustomization.yaml:4: crds[0]: path \"/etc/kubernetes/crd.yaml\" leaves the checkout"),
                withVolume("image volume with an invalid reference", "{name: models, image: {reference: \"harbor.example.com/prod/Shop/Models:1\"}}",
                        "spec.template.spec.volumes[0].image.reference"),
                withVolume("image volume without a reference", "{name: models, image: {pullPolicy: Always}}",
                        "image volume \"models\" has no reference"),
                withVolume("image volume with an unexpanded variable", "{name: models, image: {reference: \"${MODELS}\"}}", "${MODELS}")
        );
    }
}
