package dev.drawbridge.apply;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The watch cache of one kind: which of the watch's events and this process's own answers it keeps. */
class CachedObjectsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    static final ObjectRef REF = new ObjectRef("v1", "ConfigMap", "shop", "settings");

    CachedObjects cache = new CachedObjects(SERIALIZATION, "v1", "ConfigMap");

    @Test
    void keepsTheNewestOfAWatchEventAndItsOwnWrite() {
        cache.put("shop/settings", event("5", "a"));
        cache.written(tree("7", "b"));

        cache.put("shop/settings", event("6", "stale")); // the watch still delivering what came before the write

        assertThat(value()).isEqualTo("b");
        cache.put("shop/settings", event("8", "c")); // someone else's change after it
        assertThat(value()).isEqualTo("c");
        assertThat(cache.get("shop/settings").getMetadata().getResourceVersion()).isEqualTo("8");
    }

    @Test
    void anObjectItDeletedIsNotAnsweredUntilTheWatchRemovesIt() {
        cache.put("shop/settings", event("5", "a"));
        cache.deleted(REF);

        cache.put("shop/settings", event("6", "before the deletion"));
        assertThat(cache.get(REF, "dev")).isNull();

        cache.remove("shop/settings");
        cache.put("shop/settings", event("9", "created again"));
        assertThat(value()).isEqualTo("created again");
    }

    @Test
    void anObjectAReadFoundGoneIsNotAnsweredAndAnAbsentOneIsNotRemembered() {
        cache.absent(REF);
        assertThat(cache.count()).isZero();

        cache.put("shop/settings", event("5", "a"));
        cache.absent(REF);

        assertThat(cache.get(REF, "dev")).isNull();
    }

    @Test
    void anObjectWhoseVersionIsNotANumberIsReadLive() {
        cache.put("shop/settings", event("abc", "a"));

        assertThat(cache.get(REF, "dev")).isNull();
    }

    @Test
    void answersOnlyObjectsLabelledForTheEnvironment() {
        cache.put("shop/settings", event("5", "a"));

        assertThat(cache.get(REF, "qa")).isNull();
        assertThat(value()).isEqualTo("a");
    }

    @Test
    void keepsACopyOfWhatAWriteAnsweredNotTheCallersTree() {
        ObjectNode answered = tree("7", "b");
        cache.written(answered);

        answered.with("data").put("value", "changed by the caller afterwards");

        assertThat(value()).isEqualTo("b");
    }

    @Test
    void dropsTheFieldsV1OfAnObjectOnlyDrawbridgeManagesAndKeepsThemWhenAnotherManagerHasSome() {
        ObjectNode own = tree("5", "a");
        own.with("metadata").putArray("managedFields").addObject().put("manager", "drawbridge").put("operation", "Apply")
                .putObject("fieldsV1").putObject("f:data");
        ObjectNode shared = own.deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) shared.at("/metadata/managedFields")).addObject()
                .put("manager", "kubectl-edit").put("operation", "Update").putObject("fieldsV1").putObject("f:data");

        assertThat(CachedObjects.compact(own.deepCopy()).at("/metadata/managedFields/0").has("fieldsV1")).isFalse();
        assertThat(CachedObjects.compact(own.deepCopy()).at("/metadata/managedFields/0/manager").asText()).isEqualTo("drawbridge");
        assertThat(CachedObjects.compact(shared.deepCopy())).isEqualTo(shared);
    }

    private String value() {
        return cache.get(REF, "dev").at("/data/value").asText();
    }

    @Test
    void tellsEachChangeTheWatchBringsWithItsEnvironmentButNotTheEchoOfItsOwnWrite() {
        java.util.List<String> told = new java.util.ArrayList<>();
        CachedObjects watched = new CachedObjects(SERIALIZATION, "v1", "ConfigMap", told::add);

        watched.put("shop/settings", event("5", "a"));               // listed or added
        watched.written(tree("7", "b"));                              // this process applied
        watched.put("shop/settings", event("7", "b"));               // the watch echoes that write
        assertThat(told).containsExactly("dev");

        watched.put("shop/settings", event("8", "edited by hand"));   // someone else
        assertThat(told).containsExactly("dev", "dev", "dev");      // what it was labelled for, and what it is

        GenericKubernetesResource relabelled = event("9", "moved");
        relabelled.getMetadata().getLabels().put(Manifests.ENVIRONMENT, "qa");
        watched.put("shop/settings", relabelled);
        assertThat(told).endsWith("dev", "qa");

        told.clear();
        watched.remove("shop/settings");                              // deleted, or no longer selected
        assertThat(told).containsExactly("qa");
    }

    private static ObjectNode tree(String resourceVersion, String value) {
        ObjectNode tree = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
        tree.putObject("metadata").put("name", "settings").put("namespace", "shop").put("resourceVersion", resourceVersion)
                .putObject("labels").put(Manifests.MANAGED_BY, Manifests.MANAGER).put(Manifests.ENVIRONMENT, "dev");
        tree.putObject("data").put("value", value);
        return tree;
    }

    private static GenericKubernetesResource event(String resourceVersion, String value) {
        return SERIALIZATION.unmarshal(tree(resourceVersion, value).toString(), GenericKubernetesResource.class);
    }
}
