package dev.drawbridge.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What was verified is what runs: every image field is rewritten to its verified digest. */
class ImagePinningTest {

    static final String DIGEST = "sha256:" + "b".repeat(64);
    final ObjectMapper json = new ObjectMapper();

    ObjectNode object(String text) throws Exception {
        return (ObjectNode) json.readTree(text);
    }

    @Test
    void pinsContainersInitContainersAndCronJobTemplatesWithoutTouchingTheOriginal() throws Exception {
        ObjectNode deployment = object("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"api","namespace":"shop"},
                 "spec":{"template":{"spec":{"initContainers":[{"name":"m","image":"harbor.example.com/shop/migrate:1"}],
                   "containers":[{"name":"api","image":"harbor.example.com/shop/api:1.4.2"},{"name":"side","image":"nginx"}]}}}}""");
        ObjectNode cron = object("""
                {"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"c","namespace":"shop"},
                 "spec":{"jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"w","image":"harbor.example.com/shop/api:1.4.2"}]}}}}}}""");
        Map<String, String> pins = Map.of(
                "harbor.example.com/shop/migrate:1", "harbor.example.com/shop/migrate@" + DIGEST,
                "harbor.example.com/shop/api:1.4.2", "harbor.example.com/shop/api@" + DIGEST,
                "nginx", "docker.io/library/nginx@" + DIGEST);

        List<ObjectNode> pinned = new ImageInspector().pin(List.of(deployment, cron), pins);

        assertThat(pinned.get(0).at("/spec/template/spec/initContainers/0/image").asText()).isEqualTo("harbor.example.com/shop/migrate@" + DIGEST);
        assertThat(pinned.get(0).at("/spec/template/spec/containers/0/image").asText()).isEqualTo("harbor.example.com/shop/api@" + DIGEST);
        assertThat(pinned.get(0).at("/spec/template/spec/containers/1/image").asText()).isEqualTo("docker.io/library/nginx@" + DIGEST);
        assertThat(pinned.get(1).at("/spec/jobTemplate/spec/template/spec/containers/0/image").asText()).endsWith(DIGEST);
        assertThat(deployment.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("harbor.example.com/shop/api:1.4.2");
    }

    @Test
    void pinsImageVolumesLikeContainers() throws Exception {
        ObjectNode deployment = object("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"api","namespace":"shop"},
                 "spec":{"template":{"spec":{"containers":[{"name":"api","image":"harbor.example.com/shop/api:1.4.2"}],
                   "volumes":[{"name":"cfg","configMap":{"name":"c"}},
                              {"name":"models","image":{"reference":"harbor.example.com/ml/models:7","pullPolicy":"IfNotPresent"}}]}}}}""");
        ObjectNode pod = object("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"shop"},
                 "spec":{"containers":[{"name":"api","image":"harbor.example.com/shop/api:1.4.2"}],
                   "volumes":[{"name":"models","image":{"reference":"harbor.example.com/ml/models:7"}}]}}""");
        Map<String, String> pins = Map.of(
                "harbor.example.com/shop/api:1.4.2", "harbor.example.com/shop/api@" + DIGEST,
                "harbor.example.com/ml/models:7", "harbor.example.com/ml/models@" + DIGEST);

        List<ObjectNode> pinned = new ImageInspector().pin(List.of(deployment, pod), pins);

        assertThat(pinned.get(0).at("/spec/template/spec/volumes/1/image/reference").asText())
                .isEqualTo("harbor.example.com/ml/models@" + DIGEST);
        assertThat(pinned.get(0).at("/spec/template/spec/volumes/1/image/pullPolicy").asText()).isEqualTo("IfNotPresent");
        assertThat(pinned.get(0).at("/spec/template/spec/volumes/0/configMap/name").asText()).isEqualTo("c");
        assertThat(pinned.get(1).at("/spec/volumes/0/image/reference").asText()).isEqualTo("harbor.example.com/ml/models@" + DIGEST);
        assertThat(deployment.at("/spec/template/spec/volumes/1/image/reference").asText()).isEqualTo("harbor.example.com/ml/models:7");
    }

    @Test
    void refusesToPinAnImageVolumeThatWasNotVerified() throws Exception {
        ObjectNode pod = object("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"shop"},
                 "spec":{"containers":[{"name":"api","image":"harbor.example.com/shop/api:1.4.2"}],
                   "volumes":[{"name":"models","image":{"reference":"harbor.example.com/ml/models:7"}}]}}""");
        assertThatThrownBy(() -> new ImageInspector().pin(List.of(pod),
                Map.of("harbor.example.com/shop/api:1.4.2", "harbor.example.com/shop/api@" + DIGEST)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spec.volumes[0].image.reference (harbor.example.com/ml/models:7) has no verified digest");
    }

    @Test
    void pinsExtraImagePathsIncludingListItems() throws Exception {
        ObjectNode custom = object("""
                {"apiVersion":"x.io/v1","kind":"Widget","metadata":{"name":"w"},
                 "spec":{"image":"harbor.example.com/w/a:1","sidecars":["harbor.example.com/w/b:1"]}}""");
        ImageInspector inspector = new ImageInspector(List.of(new ExtraImagePath(null, "Widget", "spec.image"),
                new ExtraImagePath(null, "Widget", "spec.sidecars[]")));
        List<ObjectNode> pinned = inspector.pin(List.of(custom), Map.of(
                "harbor.example.com/w/a:1", "harbor.example.com/w/a@" + DIGEST,
                "harbor.example.com/w/b:1", "harbor.example.com/w/b@" + DIGEST));
        assertThat(pinned.get(0).at("/spec/image").asText()).endsWith(DIGEST);
        assertThat(pinned.get(0).at("/spec/sidecars/0").asText()).endsWith(DIGEST);
    }

    @Test
    void refusesAnImageWithoutAVerifiedDigest() throws Exception {
        ObjectNode pod = object("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"nginx"}]}}""");
        assertThatThrownBy(() -> new ImageInspector().pin(List.of(pod), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no verified digest");
    }
}
