package dev.drawbridge.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.FloatNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.drawbridge.render.KustomizeRenderer;
import dev.drawbridge.source.Checkout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The render kept between reconciles gives back trees equal to what was rendered, whatever the values. */
class KeptRenderTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private List<ObjectNode> render(String yaml) throws Exception {
        Files.writeString(dir.resolve("objects.yaml"), yaml);
        return new KustomizeRenderer().render(new Checkout(null, dir), ".");
    }

    @Test
    void plainManifestsAreKeptAsJsonAndReadBackEqual() throws Exception {
        List<ObjectNode> objects = render("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: numbers, labels: {app: shop}}
                data: {a: "1", b: "x"}
                ---
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: w}
                spec:
                  small: 7
                  negative: -3
                  large: 3000000000
                  huge: 123456789012345678901234567890
                  float: 1.5
                  exponent: 1.0e+10
                  tiny: 0.1
                  flag: true
                  nothing: null
                  list: [1, "two", 3.25, {nested: [false]}]
                """);

        KeptRender kept = KeptRender.of("a".repeat(40), ".", objects);

        assertThat(kept.json()).as("kept as JSON").isNotNull();
        assertThat(kept.copy()).isEqualTo(objects);
        assertThat(kept.copy().get(0)).isNotSameAs(kept.copy().get(0));
    }

    @Test
    void theObjectsOfAKeptRenderAreReadOnlyWhenUsedAndItsOwnersAreKeptWithIt() throws Exception {
        List<ObjectNode> objects = render("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api, namespace: shop}
                spec:
                  template:
                    metadata: {labels: {drawbridge.dev/owner: team-payments}}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: plain, namespace: shop}
                """);
        KeptRender kept = KeptRender.of("a".repeat(40), ".", objects);

        List<ObjectNode> unread = kept.objects();
        assertThat(KeptRender.ownersOf(unread)).isEqualTo(Owners.of(objects));
        assertThat(KeptRender.ownersOf(unread).byObject()).containsEntry("Deployment/shop/api", "team-payments");

        List<ObjectNode> read = kept.objects();
        assertThat(read).isEqualTo(objects);
        read.get(0).put("changed", true);
        assertThat(kept.objects().get(0).has("changed")).as("each caller's own trees").isFalse();
        assertThat(KeptRender.ownersOf(List.copyOf(objects))).as("a plain list: computed").isEqualTo(Owners.of(objects));
    }

    @Test
    void eachObjectOfAKeptRenderHasItsJsonAsOriginEqualAcrossRendersWhereTheObjectIs() throws Exception {
        String deployment = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api, namespace: shop}
                spec: {replicas: 2, template: {spec: {containers: [{name: api, image: "harbor.example.com/shop/api:1.0"}]}}}
                """;
        String service = """
                apiVersion: v1
                kind: Service
                metadata: {name: api, namespace: shop}
                spec: {ports: [{port: 80}]}
                """;
        List<ObjectNode> first = render(configMap("info") + "---\n" + deployment + "---\n" + service);
        KeptRender one = KeptRender.of("a".repeat(40), ".", first);
        List<ObjectNode> second = render(configMap("debug") + "---\n" + deployment + "---\n" + service);
        KeptRender two = KeptRender.of("b".repeat(40), ".", second);

        List<KeptRender.Origin> before = KeptRender.originsOf(one.objects(first));
        List<KeptRender.Origin> after = KeptRender.originsOf(two.objects());
        assertThat(before).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(JSON.readTree(before.get(i).bytes())).as("the origin of object %d is its JSON", i).isEqualTo(first.get(i));
            assertThat(JSON.readTree(after.get(i).bytes())).isEqualTo(second.get(i));
        }
        assertThat(after.get(0)).as("the changed ConfigMap").isNotEqualTo(before.get(0));
        assertThat(after.get(1)).isEqualTo(before.get(1)).hasSameHashCodeAs(before.get(1));
        assertThat(after.get(2)).isEqualTo(before.get(2)).hasSameHashCodeAs(before.get(2));
        assertThat(after.get(1)).isNotEqualTo(after.get(2));

        assertThat(KeptRender.originsOf(List.copyOf(first))).as("objects of no kept render").isNull();
        List<ObjectNode> trees = render("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {x: .nan}\n");
        assertThat(KeptRender.originsOf(KeptRender.of("c".repeat(40), ".", trees).objects()))
                .as("a render kept as trees: no origins").isNull();
    }

    private static String configMap(String level) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: api-config, namespace: shop}\ndata: {LOG_LEVEL: " + level + "}\n";
    }

    @Test
    void whatJsonCannotHoldIsKeptAsTrees() throws Exception {
        List<ObjectNode> objects = render("""
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: w}
                spec: {notANumber: .nan, infinite: .inf}
                """);

        KeptRender kept = KeptRender.of("a".repeat(40), ".", objects);

        assertThat(kept.json()).isNull();
        assertThat(kept.copy()).isEqualTo(objects);
        kept.copy().get(0).put("changed", true);
        assertThat(kept.copy()).as("copies, not the kept trees").isEqualTo(objects);
    }

    @Test
    void readsBackAsItIsOnlyWhenTheJsonReallyDoes() throws Exception {
        List<JsonNode> values = List.of(IntNode.valueOf(5), LongNode.valueOf(5), LongNode.valueOf(5_000_000_000L),
                BigIntegerNode.valueOf(BigInteger.TEN), BigIntegerNode.valueOf(new BigInteger("123456789012345678901234567890")),
                DoubleNode.valueOf(1.5), DoubleNode.valueOf(-0.0), DoubleNode.valueOf(1e300), DoubleNode.valueOf(Double.NaN),
                DoubleNode.valueOf(Double.POSITIVE_INFINITY), FloatNode.valueOf(1.5f), DecimalNode.valueOf(new BigDecimal("1.50")),
                TextNode.valueOf("ünïcode \"quoted\" \n"), JSON.nullNode(), JSON.getNodeFactory().binaryNode(new byte[]{1, 2}));
        for (JsonNode value : values) {
            ObjectNode object = JSON.createObjectNode();
            object.putObject("spec").putArray("values").add(value);
            boolean readsBack = JSON.readTree(JSON.writeValueAsBytes(object)).equals(object);
            if (KeptRender.readsBackAsItIs(object)) {
                assertThat(readsBack).as("%s (%s)", value, value.getClass().getSimpleName()).isTrue();
            }
            assertThat(KeptRender.of("a".repeat(40), ".", List.of(object)).copy()).containsExactly(object);
        }
        assertThat(KeptRender.readsBackAsItIs(LongNode.valueOf(5))).as("reads back as an int").isFalse();
        assertThat(KeptRender.readsBackAsItIs(DoubleNode.valueOf(Double.NaN))).isFalse();
        assertThat(KeptRender.readsBackAsItIs(IntNode.valueOf(5))).isTrue();
    }
}
