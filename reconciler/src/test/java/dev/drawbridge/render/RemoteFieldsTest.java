package dev.drawbridge.render;

import dev.drawbridge.testing.RequestTrap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A URL in any field Kustomize loads from, in any kustomization or plugin configuration the build reaches,
 * is refused before Kustomize runs: the real Kustomize is used, and a local HTTP server named by the field
 * receives no request. Each case also shows, by running Kustomize on the same tree without Drawbridge,
 * that the field would have been fetched: the test fails if the scan misses it.
 */
class RemoteFieldsTest {

    static final String CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {a: b}\n";

    @TempDir
    Path root;
    RequestTrap trap;

    @BeforeEach
    void start() {
        trap = RequestTrap.start();
    }

    @AfterEach
    void stop() {
        trap.close();
    }

    /**
     * @param files   the tree; {@code URL} in a file's text stands for the trap's address for this case
     * @param file    the file the error must name
     * @param field   the field it must name
     * @param fetches whether Kustomize itself would fetch the URL (false where it refuses on its own, e.g.
     *                a Helm chart without {@code --enable-helm})
     */
    record Case(String name, Map<String, String> files, String file, String field, boolean fetches) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case overlay(String name, String kustomization, String field) {
        return new Case(name, tree("app/kustomization.yaml", kustomization), "app/kustomization.yaml", field, true);
    }

    static Map<String, String> tree(String... pathsAndContents) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("app/cm.yaml", CONFIG_MAP);
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            files.put(pathsAndContents[i], pathsAndContents[i + 1]);
        }
        return files;
    }

    static Stream<Case> cases() {
        String pt = "apiVersion: builtin\nkind: PatchTransformer\nmetadata: {name: p}\npath: URL\n";
        return Stream.of(
                overlay("resources", "resources:\n- cm.yaml\n- URL\n", "resources[1]"),
                overlay("bases", "resources:\n- cm.yaml\nbases:\n- URL\n", "bases[0]"),
                overlay("patches[].path", "resources: [cm.yaml]\npatches:\n- path: URL\n", "patches[0].path"),
                overlay("patchesStrategicMerge", "resources: [cm.yaml]\npatchesStrategicMerge:\n- URL\n", "patchesStrategicMerge[0]"),
                overlay("patchesJson6902[].path", "resources: [cm.yaml]\npatchesJson6902:\n- target: {version: v1, kind: ConfigMap, name: cm}\n  path: URL\n",
                        "patchesJson6902[0].path"),
                overlay("replacements[].path", "resources: [cm.yaml]\nreplacements:\n- path: URL\n", "replacements[0].path"),
                overlay("configMapGenerator files key=path", "configMapGenerator:\n- name: g\n  files:\n  - key=URL\n", "configMapGenerator[0].files[0]"),
                overlay("configMapGenerator files", "configMapGenerator:\n- name: g\n  files:\n  - URL\n", "configMapGenerator[0].files[0]"),
                overlay("configMapGenerator envs", "configMapGenerator:\n- name: g\n  envs:\n  - URL\n", "configMapGenerator[0].envs[0]"),
                overlay("secretGenerator env", "secretGenerator:\n- name: g\n  env: URL\n", "secretGenerator[0].env"),
                overlay("secretGenerator files", "secretGenerator:\n- name: g\n  files: [URL]\n", "secretGenerator[0].files[0]"),
                overlay("crds", "resources: [cm.yaml]\ncrds:\n- URL\n", "crds[0]"),
                overlay("configurations", "resources: [cm.yaml]\nconfigurations:\n- URL\n", "configurations[0]"),
                overlay("openapi.path", "resources: [cm.yaml]\nopenapi:\n  path: URL\n", "openapi.path"),
                overlay("transformers", "resources: [cm.yaml]\ntransformers:\n- URL\n", "transformers[0]"),
                overlay("generators", "generators:\n- URL\n", "generators[0]"),
                overlay("validators", "resources: [cm.yaml]\nvalidators:\n- URL\n", "validators[0]"),
                overlay("a field name in another case", "resources: [cm.yaml]\nPatches:\n- PATH: URL\n", "Patches[0].PATH"),
                overlay("a field name with a long s, as Go's JSON decoder folds it", "resources: [cm.yaml]\npatcheſ:\n- path: URL\n",
                        "patcheſ[0].path"),
                overlay("a path brought in by a merge key", "resources: [cm.yaml]\npatches:\n- <<: {path: URL}\n", "patches[0].path"),
                overlay("a URL in an upper-case scheme", "resources: [cm.yaml]\npatches:\n- path: URL_UPPER\n", "patches[0].path"),
                overlay("a URL written as !!binary", "resources: [cm.yaml]\npatches:\n- path: !!binary URL_BASE64\n", "patches[0].path"),
                new Case("a PatchTransformer configuration file", tree(
                        "app/kustomization.yaml", "resources: [cm.yaml]\ntransformers: [patch.yaml]\n",
                        "app/patch.yaml", pt), "app/patch.yaml", "path", true),
                overlay("an inline PatchStrategicMergeTransformer", "resources: [cm.yaml]\ntransformers:\n- |\n"
                        + "  apiVersion: builtin\n  kind: PatchStrategicMergeTransformer\n  metadata: {name: p}\n  paths: [URL]\n",
                        "transformers[0].paths[0]"),
                overlay("a one-line inline PatchTransformer", "resources: [cm.yaml]\ntransformers:\n"
                        + "- '{apiVersion: builtin, kind: PatchTransformer, metadata: {name: p}, path: \"URL\"}'\n", "transformers[0].path"),
                overlay("an inline ReplacementTransformer", "resources: [cm.yaml]\ntransformers:\n- |\n"
                        + "  apiVersion: builtin\n  kind: ReplacementTransformer\n  metadata: {name: r}\n  replacements:\n  - path: URL\n",
                        "transformers[0].replacements[0].path"),
                overlay("an inline ConfigMapGenerator", "generators:\n- |\n"
                        + "  apiVersion: builtin\n  kind: ConfigMapGenerator\n  metadata: {name: g}\n  files: [URL]\n",
                        "generators[0].files[0]"),
                new Case("a transformer configuration in a kustomization named by transformers", tree(
                        "app/kustomization.yaml", "resources: [cm.yaml]\ntransformers: [../transformers]\n",
                        "transformers/kustomization.yaml", "resources: [patch.yaml]\n",
                        "transformers/patch.yaml", pt), "transformers/patch.yaml", "path", true),
                new Case("a nested component", tree(
                        "app/kustomization.yaml", "resources: [cm.yaml]\ncomponents: [../components/outer]\n",
                        "components/outer/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncomponents: [../inner]\n",
                        "components/inner/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n- path: URL\n"),
                        "components/inner/kustomization.yaml", "patches[0].path", true),
                new Case("a base", tree(
                        "overlays/prod/kustomization.yaml", "resources: [../../base]\n",
                        "base/kustomization.yaml", "configMapGenerator:\n- name: g\n  envs: [URL]\n"),
                        "base/kustomization.yaml", "configMapGenerator[0].envs[0]", true),
                new Case("components", tree("app/kustomization.yaml", "resources: [cm.yaml]\ncomponents:\n- URL\n"),
                        "app/kustomization.yaml", "components[0]", false),
                new Case("helmCharts", tree("app/kustomization.yaml",
                        "helmCharts:\n- name: chart\n  repo: URL\n  version: 1.0.0\n  releaseName: r\n"),
                        "app/kustomization.yaml", "helmCharts", false),
                new Case("helmGlobals", tree("app/kustomization.yaml", "resources: [cm.yaml]\nhelmGlobals:\n  chartHome: charts\n"),
                        "app/kustomization.yaml", "helmGlobals", false),
                new Case("helmChartInflationGenerator", tree("app/kustomization.yaml",
                        "helmChartInflationGenerator:\n- chartName: chart\n  chartRepoUrl: URL\n"),
                        "app/kustomization.yaml", "helmChartInflationGenerator", false),
                new Case("an inline HelmChartInflationGenerator", tree("app/kustomization.yaml", "generators:\n- |\n"
                        + "  apiVersion: builtin\n  kind: HelmChartInflationGenerator\n  metadata: {name: h}\n  name: chart\n  repo: URL\n"),
                        "app/kustomization.yaml", "generators[0].kind", false)
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aUrlInTheFieldIsRefusedAndNeverFetched(Case c) throws Exception {
        String url = trap.url(c.name().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-"));
        c.files().forEach((path, content) -> Trees.write(root, path, content
                .replace("URL_UPPER", url.replace("http://", "HTTP://"))
                .replace("URL_BASE64", Base64.getEncoder().encodeToString(url.getBytes()))
                .replace("URL", url)));
        String path = c.files().containsKey("overlays/prod/kustomization.yaml") ? "overlays/prod" : "app";

        Throwable thrown = catchThrowable(() -> new KustomizeRenderer().render(Trees.checkout(root), path));

        assertThat(thrown).isInstanceOf(RenderException.class);
        RenderException e = (RenderException) thrown;
        assertThat(e.kind()).as(e.getMessage()).isEqualTo(RenderException.Kind.REMOTE_REFUSED);
        assertThat(e.file()).isEqualTo(c.file());
        assertThat(e.line()).isPositive();
        assertThat(e.problem()).startsWith(c.field() + ": ").contains("refused");
        if (!c.field().startsWith("helm") && !c.field().endsWith(".kind")) {
            assertThat(e.problem()).contains("remote reference \"" + (c.name().contains("upper-case") ? url.replace("http://", "HTTP://") : url) + "\"");
        }
        assertThat(trap.requests()).as("requests to the URL").isEmpty();

        if (c.fetches()) {
            kustomizeWithoutDrawbridge(root.resolve(path));
            assertThat(trap.requests()).as("Kustomize alone fetches it, so the refusal is what kept it off the network")
                    .isNotEmpty();
        }
    }

    @Test
    void aKustomizationConfiguringTransformersMayOnlyListResources() {
        Trees.write(root, "app/kustomization.yaml", "resources: [cm.yaml]\ntransformers: [../transformers]\n");
        Trees.write(root, "app/cm.yaml", CONFIG_MAP);
        Trees.write(root, "transformers/kustomization.yaml", "resources: [labels.yaml]\npatches:\n- patch: |\n    - {op: add, path: /path, value: x}\n");
        Trees.write(root, "transformers/labels.yaml", "apiVersion: builtin\nkind: LabelTransformer\nmetadata: {name: l}\nlabels: {a: b}\n");

        Throwable thrown = catchThrowable(() -> new KustomizeRenderer().render(Trees.checkout(root), "app"));

        assertThat(thrown).isInstanceOf(RenderException.class);
        assertThat(((RenderException) thrown).kind()).isEqualTo(RenderException.Kind.FAILED);
        assertThat(thrown.getMessage()).startsWith("transformers/kustomization.yaml:2: patches: not allowed in a kustomization"
                + " that configures app/kustomization.yaml transformers[0]");
    }

    @Test
    void localPathsInEveryFieldStillRender() throws Exception {
        Trees.write(root, "app/cm.yaml", CONFIG_MAP);
        Trees.write(root, "app/patch.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {patched: \"yes\"}\n");
        Trees.write(root, "app/run.sh", "echo hi\n");
        Trees.write(root, "app/app.env", "A=1\n");
        Trees.write(root, "app/labels.yaml", "apiVersion: builtin\nkind: LabelTransformer\nmetadata: {name: l}\nlabels: {team: shop}\n"
                + "fieldSpecs: [{path: metadata/labels, create: true}]\n");
        Trees.write(root, "app/kustomization.yaml", """
                resources: [cm.yaml]
                patches:
                - path: patch.yaml
                configMapGenerator:
                - name: scripts
                  files: [entry=run.sh, run.sh]
                  envs: [app.env]
                transformers: [labels.yaml]
                """);

        var objects = new KustomizeRenderer().render(Trees.checkout(root), "app");

        assertThat(objects).hasSize(2);
        assertThat(objects.get(0).at("/metadata/labels/team").asText()).isEqualTo("shop");
    }

    @Test
    void aSymlinkedKustomizationIsRefusedEvenWhenItStaysInTheRepository() throws Exception {
        Trees.write(root, "shared/kustomization.yaml", "resources: [cm.yaml]\n");
        Trees.write(root, "app/cm.yaml", CONFIG_MAP);
        java.nio.file.Files.createSymbolicLink(root.resolve("app/kustomization.yaml"), Path.of("../shared/kustomization.yaml"));

        Throwable thrown = catchThrowable(() -> new KustomizeRenderer().render(Trees.checkout(root), "app"));

        assertThat(thrown).isInstanceOf(RenderException.class).hasMessage("app/kustomization.yaml: kustomization file is a symlink"
                + " (to \"../shared/kustomization.yaml\"): refused, a kustomization must be a regular file of the repository");
    }

    @Test
    void aSymlinkedKustomizationInABaseIsRefused() throws Exception {
        Trees.write(root, "app/kustomization.yaml", "resources: [../base]\n");
        Trees.write(root, "elsewhere/k.yaml", "patches:\n- path: " + trap.url("via-link") + "\n");
        java.nio.file.Files.createDirectories(root.resolve("base"));
        java.nio.file.Files.createSymbolicLink(root.resolve("base/kustomization.yaml"), Path.of("../elsewhere/k.yaml"));

        Throwable thrown = catchThrowable(() -> new KustomizeRenderer().render(Trees.checkout(root), "app"));

        assertThat(thrown).isInstanceOf(RenderException.class);
        assertThat(thrown.getMessage()).startsWith("base/kustomization.yaml: kustomization file is a symlink");
        assertThat(trap.requests()).isEmpty();
    }

    /** Runs the Kustomize that Drawbridge runs, directly, with no scan and no environment changes. */
    private static void kustomizeWithoutDrawbridge(Path dir) throws Exception {
        var command = new java.util.ArrayList<>(new KustomizeProcess(RenderSettings.defaults()).command());
        command.add(dir.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(new File("/dev/null"))).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
}
