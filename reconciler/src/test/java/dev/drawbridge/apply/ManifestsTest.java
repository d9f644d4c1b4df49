package dev.drawbridge.apply;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.apply.testing.TestObjects;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** "Is the desired object contained in the live one", and the applied hash, without a server. */
class ManifestsTest {

    @Test
    void fieldsOnlyInTheLiveObjectDoNotCount() {
        assertThat(Manifests.containedIn(yaml("spec: {replicas: 2}"),
                yaml("spec: {replicas: 2, paused: false}\nstatus: {replicas: 2}"))).isTrue();
    }

    @Test
    void aListMustHaveTheSameItemsButServerDefaultsInsideAnItemDoNotCount() {
        ObjectNode desired = yaml("containers: [{name: a, image: x}]");
        assertThat(Manifests.containedIn(desired, yaml("containers: [{name: a, image: x, imagePullPolicy: IfNotPresent}]"))).isTrue();
        assertThat(Manifests.containedIn(desired, yaml("containers: [{name: a, image: y}]"))).isFalse();
        assertThat(Manifests.containedIn(desired, yaml("containers: [{name: a, image: x}, {name: b, image: z}]"))).isFalse();
    }

    @Test
    void numbersCompareByValueAndEmptyValuesMatchAbsentOnes() {
        assertThat(Manifests.containedIn(yaml("a: 1"), yaml("a: 1.0"))).isTrue();
        assertThat(Manifests.containedIn(yaml("a: {}\nb: []\nc: null"), yaml("d: 1"))).isTrue();
        assertThat(Manifests.containedIn(yaml("a: \"true\""), yaml("a: true"))).isFalse();
    }

    @Test
    void quantitiesCompareByValueAsTheApiServerCanonicalisesThem() {
        assertThat(Manifests.containedIn(yaml("cpu: 1"), yaml("cpu: \"1\""))).isTrue();
        assertThat(Manifests.containedIn(yaml("cpu: 1000m"), yaml("cpu: \"1\""))).isTrue();
        assertThat(Manifests.containedIn(yaml("cpu: \"0.5\""), yaml("cpu: 500m"))).isTrue();
        assertThat(Manifests.containedIn(yaml("memory: 1Gi"), yaml("memory: \"1073741824\""))).isTrue();
        assertThat(Manifests.containedIn(yaml("memory: 1e3"), yaml("memory: 1k"))).isTrue();
        assertThat(Manifests.containedIn(yaml("cpu: 100m"), yaml("cpu: 200m"))).isFalse();
        assertThat(Manifests.containedIn(yaml("storage: 1E"), yaml("storage: 1000P"))).isTrue();
        // Plain strings that merely look like numbers are not quantities.
        assertThat(Manifests.containedIn(yaml("version: \"1.0\""), yaml("version: \"1\""))).isFalse();
        assertThat(Manifests.containedIn(yaml("name: 1m"), yaml("name: m1"))).isFalse();
    }

    @Test
    void theHashDoesNotDependOnKeyOrder() {
        assertThat(Manifests.hash(yaml("a: 1\nb: {c: 2, d: 3}"))).isEqualTo(Manifests.hash(yaml("b: {d: 3, c: 2}\na: 1")))
                .startsWith("sha256:").hasSize(71);
        assertThat(Manifests.hash(yaml("a: 1"))).isNotEqualTo(Manifests.hash(yaml("a: 2")));
    }

    @Test
    void theDesiredObjectCarriesTheLabelsAndNoServerFields() {
        ObjectNode desired = Manifests.desired(yaml("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: c, resourceVersion: "7", uid: x, annotations: {drawbridge.dev/applied-hash: old}}
                status: {}
                """), "dev");
        assertThat(desired.toString()).isEqualTo("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\","
                + "\"labels\":{\"app.kubernetes.io/managed-by\":\"drawbridge\",\"drawbridge.dev/environment\":\"dev\"}}}");
    }

    /**
     * The applied hash is what the first versions wrote into live objects: the canonical JSON of the object
     * turned into plain maps, keys sorted. It must not change, or every object would be applied again once.
     */
    @Test
    void theAppliedHashIsTheSha256OfTheSortedJsonOfTheObjectAsPlainMaps() throws Exception {
        List<ObjectNode> objects = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dev.drawbridge.testing.RealWorld.dir())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).toList()) {
                try {
                    objects.addAll(TestObjects.parse(Files.readString(file)));
                } catch (RuntimeException notKubernetes) {
                    // workflows, charts with templates: not objects
                }
            }
        }
        assertThat(objects).hasSizeGreaterThan(50);
        objects.add(yaml("""
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: w, annotations: {"z": "ünï \\"quoted\\"", "a": ""}}
                spec: {int: 7, negative: -3, long: 3000000000, huge: 123456789012345678901234567890,
                       float: 1.5, exponent: 1.0e+10, tiny: 0.1, flag: false, nothing: null,
                       empty: {}, list: [], nested: [[1, {b: 2, a: 1}], "x"]}
                """));
        ObjectNode numbers = JSON.createObjectNode();
        numbers.put("decimal", new BigDecimal("1.50")).put("float", 2.5f).put("short", (short) 3)
                .put("long", 5L).put("big", BigInteger.TWO)
                .put("nan", Double.NaN).put("inf", Double.NEGATIVE_INFINITY).put("binary", new byte[]{1, 2, 3});
        objects.add(numbers);
        for (ObjectNode object : objects) {
            byte[] canonical = JSON.writeValueAsBytes(JSON.treeToValue(object, Object.class));
            String expected = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
            assertThat(Manifests.hash(object)).as("%s", object).isEqualTo(expected);
        }
        assertThat(Manifests.hash(yaml("{b: 1, a: 2}"))).isEqualTo(Manifests.hash(yaml("{a: 2, b: 1}")));
        assertThat(Manifests.hash(yaml("{a: 1}"))).isNotEqualTo(Manifests.hash(yaml("{a: 2}")));
    }

    static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private static ObjectNode yaml(String yaml) {
        return TestObjects.parse(yaml).get(0);
    }
}
