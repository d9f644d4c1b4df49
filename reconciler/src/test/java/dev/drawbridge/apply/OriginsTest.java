package dev.drawbridge.apply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.apply.testing.TestObjects;
import dev.drawbridge.values.EnvironmentName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An apply told what its objects were made from ({@link Origins}) takes the applied-hash of an object of the same
 * origin, in the same context, from the environment's last apply, and builds its body only when it is written.
 * The tests tell origins that do not match the objects (which a caller never does) to see which were taken.
 */
class OriginsTest extends MockClusterTest {

    static final EnvironmentName DEV = EnvironmentName.of("dev");

    List<ObjectNode> shop = TestObjects.load("/apply/shop.yaml");
    /** The shop with the ConfigMap's LOG_LEVEL changed to debug. */
    List<ObjectNode> debug = TestObjects.with(shop, "ConfigMap", "api-config", c -> c.with("data").put("LOG_LEVEL", "debug"));

    /** Creates the shop, then applies it again: each object is then known to hold what it was made from. */
    @BeforeEach
    void applyTwice() throws Exception {
        applier.apply(ApplyRequest.of(DEV, shop).withOrigins(origins("pins-1", "")));
        assertThat(applier.apply(ApplyRequest.of(DEV, shop).withOrigins(origins("pins-1", ""))).summary())
                .isEqualTo("5 unchanged");
        server.clearRequests();
    }

    /** An origin per object of the shop (its kind and name), {@code suffix} added to the ConfigMap's; in {@code context}. */
    private Origins origins(String context, String configMapSuffix) {
        List<String> each = new ArrayList<>();
        for (ObjectNode object : shop) {
            String id = object.path("kind").asText() + "/" + object.path("metadata").path("name").asText();
            each.add(id.equals("ConfigMap/api-config") ? id + configMapSuffix : id);
        }
        return new Origins(context, each);
    }

    /** Changes the live ConfigMap's LOG_LEVEL behind Drawbridge's back. */
    private void driftLogLevelTo(String level) {
        server.client().configMaps().inNamespace("shop").withName("api-config").edit(c -> {
            c.getData().put("LOG_LEVEL", level);
            return c;
        });
    }

    private String logLevel() {
        return server.client().configMaps().inNamespace("shop").withName("api-config").get().getData().get("LOG_LEVEL");
    }

    @Test
    void anObjectOfANewOriginIsPreparedAndAppliedTheOthersAreTakenAsTheyWere() throws Exception {
        ChangeSet changes = applier.apply(ApplyRequest.of(DEV, debug).withOrigins(origins("pins-1", "@2")));

        assertThat(changes.summary()).isEqualTo("1 configured, 4 unchanged");
        assertThat(logLevel()).isEqualTo("debug");
        assertThat(server.writes()).hasSize(1);
    }

    @Test
    void anObjectOfTheSameOriginIsTakenAsTheLastApplyMadeIt() throws Exception {
        // The caller says the ConfigMap is made from what it was made from before: its last hash is taken, the live
        // object is known to hold that, so it is neither built nor written (a caller's origins never lie like this).
        ChangeSet changes = applier.apply(ApplyRequest.of(DEV, debug).withOrigins(origins("pins-1", "")));

        assertThat(changes.summary()).isEqualTo("5 unchanged");
        assertThat(logLevel()).isEqualTo("info");
        assertThat(server.writes()).isEmpty();
    }

    @Test
    void inAnotherContextEveryObjectIsPreparedAgain() throws Exception {
        ChangeSet changes = applier.apply(ApplyRequest.of(DEV, debug).withOrigins(origins("pins-2", "")));

        assertThat(changes.summary()).isEqualTo("1 configured, 4 unchanged");
        assertThat(logLevel()).isEqualTo("debug");
    }

    @Test
    void withoutOriginsEveryObjectIsPreparedAndWhatWasKeptStays() throws Exception {
        ChangeSet changes = applier.apply(ApplyRequest.of(DEV, debug));

        assertThat(changes.summary()).isEqualTo("1 configured, 4 unchanged");
        assertThat(logLevel()).isEqualTo("debug");
        // What the apply with origins kept is still there: the ConfigMap of its origin is taken as it was made then.
        assertThat(applier.apply(ApplyRequest.of(DEV, shop).withOrigins(origins("pins-1", ""))).summary())
                .isEqualTo("1 configured, 4 unchanged");
        assertThat(logLevel()).isEqualTo("info");
    }

    @Test
    void driftOnAnObjectTakenAsItWasIsUndoneFromItsBodyBuiltThen() throws Exception {
        driftLogLevelTo("trace");

        ChangeSet changes = applier.apply(ApplyRequest.of(DEV, shop).withOrigins(origins("pins-1", "")));

        assertThat(changes.drifted()).extracting(ChangeSetEntry::id).containsExactly("ConfigMap/shop/api-config");
        assertThat(logLevel()).isEqualTo("info");
    }

    @Test
    void aBodyThatIsNotWhatItsOriginMadeBeforeIsNeverWritten() throws Exception {
        driftLogLevelTo("trace");
        server.clearRequests();

        // The same origin for a changed object, and the live object drifted, so its body is built: its hash is not
        // the one kept for the origin, a defect the apply stops at before it writes the object.
        assertThatThrownBy(() -> applier.apply(ApplyRequest.of(DEV, debug).withOrigins(origins("pins-1", ""))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ConfigMap/shop/api-config: its applied-hash is sha256:");
        assertThat(logLevel()).isEqualTo("trace");
        assertThat(server.writes()).noneMatch(call -> call.path().endsWith("/configmaps/api-config"));
    }

    @Test
    void originsMustBeOnePerObject() {
        assertThatThrownBy(() -> ApplyRequest.of(DEV, shop).withOrigins(new Origins("pins-1", List.of("one"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid origins: 1 for 5 objects");
    }
}
