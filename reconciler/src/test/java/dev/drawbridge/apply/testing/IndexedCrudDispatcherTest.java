package dev.drawbridge.apply.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class IndexedCrudDispatcherTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] NAMES = {"a", "b", "web"};
    private static final String[] NAMESPACES = {"x", "y"};
    private static final String[] COLLECTIONS = {"/api/v1/namespaces/%s/configmaps", "/api/v1/namespaces/%s/secrets",
        "/apis/coordination.k8s.io/v1/namespaces/%s/leases", "/apis/apps/v1/namespaces/%s/deployments"};

    @Test
    void answersEveryRequestAsTheMocksOwnScanDoes() throws Exception {
        Dispatcher plain = new KubernetesCrudDispatcher(Collections.emptyList());
        IndexedCrudDispatcher indexed = new IndexedCrudDispatcher();
        Random random = new Random(11);
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            String collection = COLLECTIONS[random.nextInt(COLLECTIONS.length)].formatted(NAMESPACES[random.nextInt(2)]);
            String name = NAMES[random.nextInt(NAMES.length)];
            String object = collection + "/" + name;
            RecordedRequest request = switch (random.nextInt(7)) {
                case 0, 1 -> request(HttpMethod.POST, collection, body(collection, name, i));
                case 2 -> request(HttpMethod.PUT, object, body(collection, name, i));
                case 3 -> request(HttpMethod.DELETE, object, null);
                case 4 -> request(HttpMethod.GET, collection, null);
                case 5 -> request(HttpMethod.GET, object + "/status", null);
                default -> request(HttpMethod.GET, object, null);
            };
            String expected = comparable(plain.dispatch(copy(request)));
            assertThat(comparable(indexed.dispatch(request))).as("%s %s", request.getMethod(), request.getPath()).isEqualTo(expected);
            seen.add(expected.substring(0, 3));
        }
        assertThat(seen).as("the sequence reaches found, missing, created and conflicting objects")
                .contains("200", "404", "201", "409");
    }

    @Test
    void aRequestThatNamesItsObjectTestsOnlyTheObjectsOfThatName() {
        IndexedCrudDispatcher dispatcher = new IndexedCrudDispatcher();
        for (int i = 0; i < 2_000; i++) {
            String collection = "/api/v1/namespaces/n%d/configmaps".formatted(i % 10);
            dispatcher.dispatch(request(HttpMethod.POST, collection, body(collection, "cm-" + i / 10, i)));
        }
        long before = dispatcher.tested();

        MockResponse found = dispatcher.dispatch(request(HttpMethod.GET, "/api/v1/namespaces/n3/configmaps/cm-57", null));
        MockResponse missing = dispatcher.dispatch(request(HttpMethod.GET, "/api/v1/namespaces/n3/configmaps/cm-9999", null));
        MockResponse replaced = dispatcher.dispatch(request(HttpMethod.PUT, "/api/v1/namespaces/n3/configmaps/cm-57",
                body("/api/v1/namespaces/n3/configmaps", "cm-57", 9)));

        assertThat(found.code()).isEqualTo(200);
        assertThat(found.getBody().readUtf8()).contains("\"name\":\"cm-57\"", "\"namespace\":\"n3\"");
        assertThat(missing.code()).isEqualTo(404);
        assertThat(replaced.code()).isEqualTo(200);
        // cm-57 exists in each of the 10 namespaces: the GET and the PUT test at most those 10 each, not 2,000.
        assertThat(dispatcher.tested() - before).isPositive().isLessThanOrEqualTo(20);
    }

    private static String body(String collection, String name, int revision) {
        String kind = collection.endsWith("configmaps") ? "ConfigMap" : collection.endsWith("secrets") ? "Secret"
                : collection.endsWith("leases") ? "Lease" : "Deployment";
        String apiVersion = kind.equals("Lease") ? "coordination.k8s.io/v1" : kind.equals("Deployment") ? "apps/v1" : "v1";
        ObjectNode object = JSON.createObjectNode().put("apiVersion", apiVersion).put("kind", kind);
        object.putObject("metadata").put("name", name).putObject("labels").put("revision", String.valueOf(revision % 3));
        object.putObject("data").put("revision", String.valueOf(revision));
        return object.toString();
    }

    /** Code and body without what each server makes up (uid, creation time). */
    private static String comparable(MockResponse response) {
        String body = response.getBody() == null ? "" : response.getBody().readUtf8();
        try {
            JsonNode tree = body.isEmpty() ? null : JSON.readTree(body);
            if (tree instanceof ObjectNode object) {
                strip(object);
                object.path("items").forEach(item -> strip((ObjectNode) item));
                body = object.toString();
            }
        } catch (Exception e) {
            // not JSON: compared as it is
        }
        return response.code() + " " + body;
    }

    private static void strip(ObjectNode object) {
        if (object.get("metadata") instanceof ObjectNode metadata) {
            metadata.remove(List.of("uid", "creationTimestamp"));
        }
    }

    private static RecordedRequest request(HttpMethod method, String path, String body) {
        Headers headers = Headers.builder().add("Content-Type", "application/json").build();
        Buffer buffer = new Buffer();
        if (body != null) {
            buffer.writeUtf8(body);
        }
        return new RecordedRequest(method.name() + " " + path + " HTTP/1.1", method, path, headers, buffer);
    }

    private static RecordedRequest copy(RecordedRequest request) {
        Buffer body = request.getBody();
        return request(HttpMethod.valueOf(request.getMethod()), request.getPath(), body == null ? null : new String(body.getBytes(),
                java.nio.charset.StandardCharsets.UTF_8));
    }
}
