package dev.drawbridge.apply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.apply.testing.TestObjects;
import org.junit.jupiter.api.Test;

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

    private static ObjectNode yaml(String yaml) {
        return TestObjects.parse(yaml).get(0);
    }
}
