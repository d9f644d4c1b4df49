package dev.drawbridge.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A large generated output (Kustomize's) is read in two halves at once: the objects, errors and limits are exactly
 * those of reading it in one piece.
 */
class GeneratedOutputTest {

    /** {@code count} ConfigMaps as Kustomize prints them; every hundredth with an anchor and an alias of its own. */
    private static String output(int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                text.append("---\n");
            }
            String anchor = i % 100 == 99 ? "&labels " : "";
            String copy = i % 100 == 99 ? "*labels" : "{app: shop, index: \"%d\"}".formatted(i);
            text.append("""
                    apiVersion: v1
                    kind: ConfigMap
                    metadata:
                      name: config-%d
                      namespace: bench
                      labels: %s{app: shop, index: "%d"}
                    data:
                      copy: %s
                      flag: yes
                      schedule: "*/5 * * * *"
                    """.formatted(i, anchor, i, copy));
        }
        return text.toString();
    }

    private static List<ObjectNode> inOnePiece(String text, int maxDocuments) throws RenderException {
        List<ObjectNode> out = new ArrayList<>();
        new YamlDocuments(10_000_000, maxDocuments).parse(text, null, "kustomize output", out);
        return out;
    }

    private static List<ObjectNode> inTwoHalves(String text, int maxDocuments) throws RenderException {
        List<ObjectNode> out = new ArrayList<>();
        new YamlDocuments(10_000_000, maxDocuments).parseGenerated(text, "kustomize output", out);
        return out;
    }

    @Test
    void aLargeOutputGivesTheObjectsOfReadingItInOnePieceInTheirOrder() throws Exception {
        String text = output(400);
        assertThat(text.length()).isGreaterThan(YamlDocuments.SPLIT_FROM_CHARS);

        long before = YamlDocuments.READ_IN_HALVES.get();
        List<ObjectNode> objects = inTwoHalves(text, 1000);

        assertThat(YamlDocuments.READ_IN_HALVES.get()).as("read in two halves").isEqualTo(before + 1);
        assertThat(objects).hasSize(400).isEqualTo(inOnePiece(text, 1000));
        assertThat(objects.get(399).path("data").path("copy").path("index").asText()).isEqualTo("399");
        assertThat(objects.get(0).path("data").path("flag").asBoolean()).as("YAML 1.1: yes is true").isTrue();
    }

    @Test
    void aSmallOutputIsReadInOnePiece() throws Exception {
        String text = output(3);
        long before = YamlDocuments.READ_IN_HALVES.get();
        assertThat(inTwoHalves(text, 1000)).isEqualTo(inOnePiece(text, 1000)).hasSize(3);
        assertThat(YamlDocuments.READ_IN_HALVES.get()).isEqualTo(before);
    }

    @Test
    void anErrorInEitherHalfIsTheErrorOfReadingItInOnePiece() {
        for (int broken : new int[] {10, 390}) {
            String text = output(400).replace("name: config-" + broken + "\n", "name: config-" + broken + "\n  bad: [unclosed\n");
            RenderException whole = catchThrowableOfType(RenderException.class, () -> inOnePiece(text, 1000));
            RenderException halves = catchThrowableOfType(RenderException.class, () -> inTwoHalves(text, 1000));
            assertThat(whole).as("document " + broken).isNotNull();
            assertThat(halves).as("document " + broken).isNotNull();
            assertThat(halves.getMessage()).isEqualTo(whole.getMessage()).contains("document " + (broken + 1));
        }
    }

    @Test
    void theObjectsOfBothHalvesCountAgainstOneLimit() {
        String text = output(400);
        RenderException whole = catchThrowableOfType(RenderException.class, () -> inOnePiece(text, 300));
        RenderException halves = catchThrowableOfType(RenderException.class, () -> inTwoHalves(text, 300));
        assertThat(halves).isNotNull();
        assertThat(halves.getMessage()).isEqualTo(whole.getMessage()).contains("more than 300 objects");
    }
}
