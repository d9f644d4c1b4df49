package dev.drawbridge.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.source.Checkout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Kustomize's output parsed piece by piece, the pieces of the directory's last output read back instead of parsed:
 * always the objects (and the errors) of parsing the whole output.
 */
class OutputDocumentsTest {

    private static final long BYTES = 64L << 20;
    private static final int DOCUMENTS = 10_000;

    @TempDir
    Path root;

    private final OutputDocuments documents = new OutputDocuments();

    private static String configMap(int i, String value) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config-" + i + "\ndata:\n  value: \"" + value + "\"\n";
    }

    private static String output(int count, int changed) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append(i == 0 ? "" : "---\n").append(configMap(i, i == changed ? "new" : "old"));
        }
        return text.toString();
    }

    private static List<ObjectNode> whole(String output) throws RenderException {
        List<ObjectNode> objects = new ArrayList<>();
        new YamlDocuments(BYTES, DOCUMENTS).parse(output, null, "kustomize output", objects);
        return objects;
    }

    @Test
    void cutsOnlyAtLinesThatAreExactlyThreeDashes() {
        assertThat(OutputDocuments.pieces("a: 1\n---\nb: 2\n--- # c\nc: 3\n----\nd: 4\n ---\ne: 5\n"))
                .containsExactly("a: 1\n", "b: 2\n--- # c\nc: 3\n----\nd: 4\n ---\ne: 5\n");
        assertThat(OutputDocuments.pieces("---\na: 1\n")).containsExactly("---\na: 1\n");
    }

    @Test
    void parsesOnlyTheDocumentsThatChangedAndGivesTheObjectsOfTheWholeOutput() throws Exception {
        String first = output(50, -1);
        assertThat(documents.parse("dir", first, BYTES, DOCUMENTS)).isEqualTo(whole(first));
        assertThat(documents.lastReused()).isZero();

        String second = output(50, 7);
        List<ObjectNode> objects = documents.parse("dir", second, BYTES, DOCUMENTS);
        assertThat(objects).isEqualTo(whole(second));
        assertThat(objects.get(7).path("data").path("value").asText()).isEqualTo("new");
        assertThat(documents.lastReused()).isEqualTo(49);

        // another directory shares nothing
        documents.parse("other", second, BYTES, DOCUMENTS);
        assertThat(documents.lastReused()).isZero();
    }

    @Test
    void keepsTheMostRecentlyUsedDirectoriesWithinItsBudget() throws Exception {
        String text = output(20, -1);
        OutputDocuments small = new OutputDocuments(1);
        small.parse("a", text, BYTES, DOCUMENTS);
        assertThat(small.keptSize()).as("larger than half the budget: not kept").isZero();

        documents.parse("probe", text, BYTES, DOCUMENTS);
        long one = documents.keptSize();
        assertThat(one).isPositive();
        OutputDocuments two = new OutputDocuments(2 * one + one / 2);
        two.parse("a", text, BYTES, DOCUMENTS);
        two.parse("b", text, BYTES, DOCUMENTS);
        two.parse("a", text, BYTES, DOCUMENTS);                  // a used last: b goes first
        assertThat(two.lastReused()).isEqualTo(20);
        two.parse("c", text, BYTES, DOCUMENTS);
        assertThat(two.keptSize()).isLessThanOrEqualTo(2 * one + one / 2);
        two.parse("a", text, BYTES, DOCUMENTS);
        assertThat(two.lastReused()).as("a kept").isEqualTo(20);
        two.parse("b", text, BYTES, DOCUMENTS);
        assertThat(two.lastReused()).as("b let go").isZero();
    }

    @Test
    void handsOutFreshTreesThatTheCallerMayChange() throws Exception {
        String text = output(3, -1);
        documents.parse("dir", text, BYTES, DOCUMENTS).forEach(o -> o.put("kind", "Changed"));
        List<ObjectNode> again = documents.parse("dir", text, BYTES, DOCUMENTS);
        assertThat(documents.lastReused()).isEqualTo(3);
        assertThat(again).isEqualTo(whole(text));
    }

    @Test
    void aDocumentThatFailsGivesTheErrorOfTheWholeOutput() throws Exception {
        documents.parse("dir", output(5, -1), BYTES, DOCUMENTS);
        String broken = output(5, -1).replace("name: config-3\n", "name: config-3\n  bad: [unclosed\n");
        String expected = messageOf(() -> whole(broken));

        assertThatThrownBy(() -> documents.parse("dir", broken, BYTES, DOCUMENTS))
                .isInstanceOf(RenderException.class).hasMessage(expected).hasMessageContaining("document 4");
    }

    @Test
    void theLimitOnObjectsCountsTheDocumentsReadBack() throws Exception {
        documents.parse("dir", output(5, -1), 1 << 20, 5);
        String expected = messageOf(() -> {
            List<ObjectNode> out = new ArrayList<>();
            new YamlDocuments(1 << 20, 5).parse(output(6, -1), null, "kustomize output", out);
            return out;
        });
        assertThatThrownBy(() -> documents.parse("dir", output(6, -1), 1 << 20, 5)).hasMessage(expected)
                .hasMessageContaining("more than 5 objects");
    }

    @Test
    void outputWithDirectivesOrDocumentEndsIsParsedWhole() throws Exception {
        String text = output(3, -1);
        documents.parse("dir", text, BYTES, DOCUMENTS);
        String ended = text.replace("---\n", "...\n---\n");
        assertThat(documents.parse("dir", ended, BYTES, DOCUMENTS)).isEqualTo(whole(ended));
        assertThat(documents.lastReused()).isZero();
        String directive = "%YAML 1.1\n---\n" + text;
        assertThat(documents.parse("dir", directive, BYTES, DOCUMENTS)).isEqualTo(whole(directive));
        assertThat(documents.lastReused()).isZero();
    }

    @Test
    void objectsJsonCannotHoldAreCopiedAsTheyAre() throws Exception {
        String text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nspec: {x: .nan, y: 1.0e+400}\n---\n" + configMap(2, "v");
        documents.parse("dir", text, BYTES, DOCUMENTS);
        List<ObjectNode> again = documents.parse("dir", text, BYTES, DOCUMENTS);
        assertThat(documents.lastReused()).isEqualTo(2);
        assertThat(again.get(0).path("spec").path("x").doubleValue()).isNaN();
        assertThat(again).isEqualTo(whole(text)).hasSize(2);
    }

    @Test
    void aListDocumentReadBackGivesItsItems() throws Exception {
        String text = "apiVersion: v1\nkind: List\nitems:\n- " + configMap(1, "a").replace("\n", "\n  ").strip()
                + "\n- " + configMap(2, "b").replace("\n", "\n  ").strip() + "\n---\n" + configMap(3, "c");
        documents.parse("dir", text, BYTES, DOCUMENTS);
        List<ObjectNode> again = documents.parse("dir", text, BYTES, DOCUMENTS);
        assertThat(documents.lastReused()).isEqualTo(2);
        assertThat(again).isEqualTo(whole(text)).hasSize(3);
    }

    /** The real-world trees: Kustomize's own output, parsed with reuse and one object changed, as a whole parse. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"podinfo/deploy/overlays/production", "microservices-demo/kustomize"})
    void realWorldOutputReadsAsAWholeParse(String tree) throws Exception {
        Trees.copy(Trees.REALWORLD.resolve(tree.substring(0, tree.indexOf('/'))), root.resolve("t"));
        Path dir = root.resolve("t").resolve(tree.substring(tree.indexOf('/') + 1));
        String output = kubectlKustomize(dir);
        List<ObjectNode> objects = documents.parse("dir", output, BYTES, DOCUMENTS);
        assertThat(objects).isEqualTo(whole(output)).hasSizeGreaterThan(5);

        String changed = output.replaceFirst("\nkind: Deployment\n", "\nkind: Deployment\nx-changed: yes\n");
        assertThat(changed).isNotEqualTo(output);
        assertThat(documents.parse("dir", changed, BYTES, DOCUMENTS)).isEqualTo(whole(changed));
        assertThat(documents.lastReused()).isEqualTo(objects.size() - 1);
    }

    @Test
    void theRendererReusesTheLastOutputOfTheSameDirectory() throws Exception {
        Files.createDirectories(root.resolve("app"));
        Files.writeString(root.resolve("app/kustomization.yaml"), "resources: [a.yaml, b.yaml]\n");
        Files.writeString(root.resolve("app/a.yaml"), configMap(1, "one"));
        Files.writeString(root.resolve("app/b.yaml"), configMap(2, "two"));
        KustomizeRenderer renderer = new KustomizeRenderer();
        renderer.render(new Checkout(null, root), "app");
        Files.writeString(root.resolve("app/b.yaml"), configMap(2, "three"));

        List<ObjectNode> objects = renderer.render(new Checkout(null, root), "app");

        assertThat(objects).extracting(o -> o.path("data").path("value").asText()).containsExactly("one", "three");
    }

    private static String messageOf(ThrowingSupplier parse) {
        try {
            parse.get();
        } catch (Exception e) {
            return e.getMessage();
        }
        throw new AssertionError("expected the whole output to fail");
    }

    private interface ThrowingSupplier {
        Object get() throws Exception;
    }

    private static String kubectlKustomize(Path dir) throws Exception {
        Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return out;
    }
}
