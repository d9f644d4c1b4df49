package dev.drawbridge.apply.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A Kubernetes API server for tests: the Fabric8 mock server in CRUD mode, plus what it lacks for
 * Drawbridge.
 * <ul>
 *   <li>Objects found by name without a scan of all of them ({@link IndexedCrudDispatcher}), as a real API server
 *       finds them: a benchmark's thousands of objects do not make each request cost a LIST.</li>
 *   <li>Server-side apply with field ownership ({@link FieldOwnership}): a PATCH with
 *       {@code application/apply-patch+yaml} merges the applied fields into the object and removes only what the
 *       same manager applied before and nobody else owns; what other managers own stays, as on a real API server.
 *       Every write keeps {@code metadata.managedFields} (fieldsV1 per manager and operation): creates, replaces,
 *       JSON patches (with {@code test} ops: a failed one answers 422) and merge patches are recorded as updates
 *       under their {@code fieldManager}, else their user agent's name.</li>
 *   <li>{@code dryRun=All} on an apply answers what would be stored, without storing it.</li>
 *   <li>A created CustomResourceDefinition is marked {@code Established=True}, as the real API server does.</li>
 *   <li>Every request is recorded (method, path, query, content type, body) so tests can count writes.</li>
 *   <li>Failures on demand: {@link #failWhen} answers a status (500, 409, ...) to matching requests.</li>
 * </ul>
 * The mock's INFO logging of every request is turned down. Use one server per test (it is cheap: ~50 ms).
 */
public final class ApplyingMockServer implements AutoCloseable {

    /** The media type of a server-side apply. */
    public static final String APPLY_PATCH = "application/apply-patch+yaml";
    /** The media type of a JSON patch (RFC 6902). */
    public static final String JSON_PATCH = "application/json-patch+json";
    /** The media type of a JSON merge patch (RFC 7386). */
    public static final String MERGE_PATCH = "application/merge-patch+json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    private final KubernetesMockServer server;
    private final IndexedCrudDispatcher crud = new IndexedCrudDispatcher();
    private final KubernetesClient client;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<Failure> failures = new CopyOnWriteArrayList<>();

    /**
     * One request as the server saw it (before any failure injection or apply translation).
     *
     * @param at        when it arrived (the system clock; to order the requests of several clients)
     * @param client    who sent it: the bearer token of its {@code Authorization} header, else its
     *                  {@code User-Agent} (tells apart the clients of several replicas, see {@link #writeKubeconfig(java.nio.file.Path, String)})
     */
    public record Call(String method, String path, Map<String, List<String>> query, String contentType, String body,
                       java.time.Instant at, String client) {

        public Call(String method, String path, Map<String, List<String>> query, String contentType, String body) {
            this(method, path, query, contentType, body, java.time.Instant.now(), null);
        }

        /** POST, PUT, PATCH or DELETE (a dry run counts: it is still a write request). */
        public boolean isWrite() {
            return !method.equals("GET");
        }

        public boolean isApply() {
            return method.equals("PATCH") && contentType != null && contentType.startsWith(APPLY_PATCH);
        }

        public boolean isDryRun() {
            return query.containsKey("dryRun");
        }

        /** The first value of a query parameter, or null. */
        public String param(String name) {
            List<String> values = query.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        public String fieldManager() {
            return param("fieldManager");
        }

        public boolean force() {
            return "true".equals(param("force"));
        }

        /** The request body as a tree (JSON or YAML), or null when there is none. */
        public JsonNode bodyTree() {
            if (body == null || body.isBlank()) {
                return null;
            }
            try {
                return YAML.readTree(body);
            } catch (Exception e) {
                throw new IllegalStateException("unreadable body of " + this, e);
            }
        }

        @Override
        public String toString() {
            return method + " " + path + (query.isEmpty() ? "" : " " + query) + (contentType == null ? "" : " [" + contentType + "]");
        }
    }

    private record Failure(Predicate<Call> matches, int status, AtomicInteger remaining, Map<String, String> headers) {
    }

    private record Delay(Predicate<Call> matches, java.time.Duration delay, AtomicInteger remaining) {
    }

    private final List<Delay> delays = new CopyOnWriteArrayList<>();

    private ApplyingMockServer() {
        quietMockLogging();
        // Every request goes to the CRUD dispatcher: answers recorded with the mock's expect() are not served.
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, new ApplyDispatcher(crud), true);
        server.init();
        // No client-side retries of 5xx answers: an injected failure answers at once.
        client = server.createClient(builder -> builder.editOrNewConfig().withRequestRetryBackoffLimit(0).endConfig());
    }

    /** Starts a server on a free loopback port. */
    public static ApplyingMockServer start() {
        return new ApplyingMockServer();
    }

    /** A client of this server (namespace {@code test} by default, like the Fabric8 mock's own). */
    public KubernetesClient client() {
        return client;
    }

    /** The base URL of the API server, e.g. {@code https://localhost:12345/}. */
    public String url() {
        return server.url("/");
    }

    /**
     * Writes a kubeconfig whose current context {@code mock} points at this server (TLS not verified:
     * the mock's certificate is self-signed), for code that builds its own client from a kubeconfig.
     */
    public java.nio.file.Path writeKubeconfig(java.nio.file.Path file) {
        return writeKubeconfig(file, "mock-token");
    }

    /** As {@link #writeKubeconfig(java.nio.file.Path)}, the user authenticating with {@code token} (see {@link Call#client()}). */
    public java.nio.file.Path writeKubeconfig(java.nio.file.Path file, String token) {
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: mock
                    cluster: {server: "%s", insecure-skip-tls-verify: true}
                users:
                  - name: drawbridge
                    user: {token: %s}
                contexts:
                  - name: mock
                    context: {cluster: mock, user: drawbridge, namespace: default}
                current-context: mock
                """.formatted(url().replaceAll("/$", ""), token);
        try {
            java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
            java.nio.file.Files.writeString(file, yaml);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return file;
    }

    /** Every request since the start or the last {@link #clearRequests()}, in order. */
    public List<Call> requests() {
        return List.copyOf(calls);
    }

    /** The write requests (POST, PUT, PATCH, DELETE) since the start or the last {@link #clearRequests()}. */
    public List<Call> writes() {
        return calls.stream().filter(Call::isWrite).toList();
    }

    /** The server-side apply requests since the start or the last {@link #clearRequests()}. */
    public List<Call> applies() {
        return calls.stream().filter(Call::isApply).toList();
    }

    public void clearRequests() {
        calls.clear();
    }

    /**
     * The requests since the start or the last clear or drain, which it clears: none that arrives meanwhile is lost
     * (requests are only ever added at the end).
     */
    public List<Call> drainRequests() {
        List<Call> drained = List.copyOf(calls);
        calls.subList(0, drained.size()).clear();
        return drained;
    }

    /**
     * Answers {@code status} (e.g. 500, 409) instead of serving the next {@code times} requests that match
     * (use {@link Integer#MAX_VALUE} for always). The request is still recorded.
     */
    public void failWhen(Predicate<Call> matches, int status, int times) {
        failWhen(matches, status, times, Map.of());
    }

    /** As {@link #failWhen(Predicate, int, int)}, the answer carrying {@code headers} (e.g. {@code Retry-After}). */
    public void failWhen(Predicate<Call> matches, int status, int times, Map<String, String> headers) {
        failures.add(new Failure(matches, status, new AtomicInteger(times), Map.copyOf(headers)));
    }

    /**
     * Serves the next {@code times} requests that match as usual (a write is stored at once) but sends the
     * answer only after {@code delay}: a slow or, past the client's timeout, a hanging API server.
     */
    public void delayWhen(Predicate<Call> matches, java.time.Duration delay, int times) {
        delays.add(new Delay(matches, delay, new AtomicInteger(times)));
    }

    /**
     * Answers {@code status} to every apply of the object whose path ends with {@code pathSuffix}, e.g.
     * {@code "/namespaces/shop/deployments/api"} or {@code "/namespaces/shop"}.
     */
    public void failApplyOf(String pathSuffix, int status) {
        failWhen(call -> call.isApply() && call.path().endsWith(pathSuffix), status, Integer.MAX_VALUE);
    }

    /** Answers 409 Conflict to the next apply of the object whose path ends with {@code pathSuffix}. */
    public void conflictOnceOnApplyOf(String pathSuffix) {
        failWhen(call -> call.isApply() && call.path().endsWith(pathSuffix), 409, 1);
    }

    /** Answers {@code status} to every DELETE of the object whose path ends with {@code pathSuffix}. */
    public void failDeleteOf(String pathSuffix, int status) {
        failWhen(call -> call.method().equals("DELETE") && call.path().endsWith(pathSuffix), status, Integer.MAX_VALUE);
    }

    public void clearFailures() {
        failures.clear();
        delays.clear();
    }

    /**
     * Closes the client, then the server. The mock's own watch bookkeeping may block its event loop for a while when
     * a watch (an informer) closes at the same time; a server that does not stop within the mock's own timeout is
     * left to stop by itself rather than failing the test that used it.
     */
    @Override
    public void close() {
        client.close();
        try {
            server.destroy();
        } catch (IllegalStateException e) {
            if (!String.valueOf(e.getMessage()).startsWith("Unable to close MockWebServer")) {
                throw e;
            }
        }
    }

    private MockResponse injectedFailure(Call call) {
        for (Failure failure : failures) {
            if (failure.matches().test(call) && failure.remaining().getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                String reason = switch (failure.status()) {
                    case 409 -> "Conflict";
                    case 429 -> "TooManyRequests";
                    case 503 -> "ServiceUnavailable";
                    default -> "InternalError";
                };
                ObjectNode status = JSON.createObjectNode()
                        .put("apiVersion", "v1").put("kind", "Status").put("status", "Failure")
                        .put("message", "injected by test: " + call.method() + " " + call.path())
                        .put("reason", reason).put("code", failure.status());
                MockResponse response = json(failure.status(), status);
                failure.headers().forEach(response::setHeader);
                return response;
            }
        }
        return null;
    }

    private MockResponse delayed(Call call, MockResponse response) {
        for (Delay delay : delays) {
            if (delay.matches().test(call) && delay.remaining().getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                return response.setBodyDelay(delay.delay());
            }
        }
        return response;
    }

    /**
     * A watch whose sender is stopped before the mock's own handling of its end. Fabric8's mock (8.0.0) handles a
     * closed or failed watch on its one event loop ({@code WatchEventsListener.onClosed}): it waits up to a minute for
     * the watch's sender, while the sender waits for that same event loop to write what it was sending
     * ({@code VertxMockWebSocket.awaitWrite}). Every request to the server then waits too: the informers of serve
     * close their watches 5 to 10 minutes after they open them, and a long run of the scale benchmark stopped for
     * half a minute or more at each (docs/scale.md). Stopping the sender at once (it is interrupted, what it still
     * had to send is dropped: the client is gone) lets the mock's close return at once. A listener that is not the
     * mock's (no {@code executor} field) is left as it is.
     */
    static final class SenderStoppedFirst extends io.fabric8.mockwebserver.http.WebSocketListener {
        private final io.fabric8.mockwebserver.http.WebSocketListener watch;

        SenderStoppedFirst(io.fabric8.mockwebserver.http.WebSocketListener watch) {
            this.watch = watch;
        }

        @Override
        public void onBeforeAccept(io.fabric8.mockwebserver.http.WebSocket webSocket, io.fabric8.mockwebserver.http.Response response) {
            watch.onBeforeAccept(webSocket, response);
        }

        @Override
        public void onOpen(io.fabric8.mockwebserver.http.WebSocket webSocket, io.fabric8.mockwebserver.http.Response response) {
            watch.onOpen(webSocket, response);
        }

        @Override
        public void onMessage(io.fabric8.mockwebserver.http.WebSocket webSocket, String text) {
            watch.onMessage(webSocket, text);
        }

        @Override
        public void onMessage(io.fabric8.mockwebserver.http.WebSocket webSocket, io.fabric8.mockwebserver.http.ByteString bytes) {
            watch.onMessage(webSocket, bytes);
        }

        @Override
        public void onMessage(io.fabric8.mockwebserver.http.WebSocket webSocket, byte[] bytes) {
            watch.onMessage(webSocket, bytes);
        }

        @Override
        public void onPing(io.fabric8.mockwebserver.http.WebSocket webSocket, byte[] bytes) {
            watch.onPing(webSocket, bytes);
        }

        @Override
        public void onClosing(io.fabric8.mockwebserver.http.WebSocket webSocket, int code, String reason) {
            watch.onClosing(webSocket, code, reason);
        }

        @Override
        public void onClosed(io.fabric8.mockwebserver.http.WebSocket webSocket, int code, String reason) {
            stopSender();
            watch.onClosed(webSocket, code, reason);
        }

        @Override
        public void onFailure(io.fabric8.mockwebserver.http.WebSocket webSocket, Throwable failure,
                              io.fabric8.mockwebserver.http.Response response) {
            stopSender();
            watch.onFailure(webSocket, failure, response);
        }

        private void stopSender() {
            try {
                java.lang.reflect.Field executor = watch.getClass().getDeclaredField("executor");
                executor.setAccessible(true);
                if (executor.get(watch) instanceof java.util.concurrent.ExecutorService sender) {
                    sender.shutdownNow();
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // not the mock's watch listener: its own close handling runs as it is
            }
        }
    }

    /** Records, injects failures, translates applies, and hands everything else to the CRUD dispatcher. */
    private final class ApplyDispatcher extends Dispatcher {
        private final IndexedCrudDispatcher crud;

        ApplyDispatcher(IndexedCrudDispatcher crud) {
            this.crud = crud;
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            Call call = record(request);
            MockResponse failure = injectedFailure(call);
            if (failure != null) {
                return failure;
            }
            if (call.isApply()) {
                return delayed(call, apply(call, request));
            }
            if (call.isWrite() && !call.isDryRun() && !call.method().equals("DELETE")) {
                return delayed(call, update(call, request));
            }
            MockResponse response = crud.dispatch(request);
            if (response.getWebSocketListener() != null) { // a watch
                response.withWebSocketUpgrade(new SenderStoppedFirst(response.getWebSocketListener()));
            }
            return delayed(call, response);
        }

        private MockResponse apply(Call call, RecordedRequest request) {
            ObjectNode body = (ObjectNode) call.bodyTree();
            if (body == null) {
                return status(400, "BadRequest", "empty apply");
            }
            if (call.fieldManager() == null || call.fieldManager().isEmpty()) {
                return status(400, "BadRequest", "PATCH requests with apply-patch content type require fieldManager");
            }
            ObjectNode live = live(request, call.path());
            ObjectNode result;
            try {
                result = FieldOwnership.apply(live, body, call.fieldManager(), call.force());
            } catch (FieldOwnership.Conflict e) {
                return status(409, "Conflict", e.getMessage());
            }
            if (call.isDryRun()) {
                return json(200, result);
            }
            if (live == null) {
                String collection = call.path().substring(0, call.path().lastIndexOf('/'));
                MockResponse created = crud.dispatch(forward(request, HttpMethod.POST, collection, result.toString()));
                if (created.code() == 201 && "CustomResourceDefinition".equals(body.path("kind").asText())) {
                    return establish(request, call.path(), created);
                }
                return created;
            }
            // The mock keeps status (for kinds with a status subresource), uid and creation time.
            return crud.dispatch(forward(request, HttpMethod.PUT, call.path(), result.toString()));
        }

        /** A create, replace or (JSON or merge) patch of an object: recorded under its field manager (an update). */
        private MockResponse update(Call call, RecordedRequest request) {
            Target target = Target.of(call.path());
            String manager = call.fieldManager() != null && !call.fieldManager().isEmpty() ? call.fieldManager()
                    : userAgentManager(request.getHeader("User-Agent"));
            boolean create = call.method().equals("POST") && target == Target.COLLECTION;
            boolean patch = call.method().equals("PATCH") && target == Target.OBJECT && call.contentType() != null
                    && (call.contentType().startsWith(JSON_PATCH) || call.contentType().startsWith(MERGE_PATCH));
            boolean replace = call.method().equals("PUT") && target == Target.OBJECT;
            if (!create && !patch && !replace) {
                return crud.dispatch(request);
            }
            ObjectNode body = call.bodyTree() instanceof ObjectNode o ? o : null;
            if (create) {
                return body == null ? crud.dispatch(request) : crud.dispatch(forward(request, HttpMethod.POST, call.path(),
                        FieldOwnership.update(null, body, manager).toString()));
            }
            ObjectNode live = live(request, call.path());
            if (live == null) {
                return crud.dispatch(request);
            }
            ObjectNode next = body;
            if (patch) {
                try {
                    next = call.contentType().startsWith(JSON_PATCH) ? JsonPatches.apply(live, call.body())
                            : JsonPatches.merge(live, (ObjectNode) call.bodyTree());
                } catch (IllegalArgumentException e) {
                    return status(422, "Invalid", "the server rejected our request due to an error in our request: " + e.getMessage());
                }
                if (!next.path("metadata").path("resourceVersion").equals(live.path("metadata").path("resourceVersion"))) {
                    return status(409, "Conflict", "the object has been modified; please apply your changes to the latest version");
                }
            }
            if (next == null) {
                return crud.dispatch(request);
            }
            return crud.dispatch(forward(request, HttpMethod.PUT, call.path(), FieldOwnership.update(live, next, manager).toString()));
        }

        private ObjectNode live(RecordedRequest request, String path) {
            MockResponse live = crud.dispatch(forward(request, HttpMethod.GET, path, null));
            return live.code() == 200 ? (ObjectNode) readTree(live.getBody().readUtf8()) : null;
        }

        /** Marks a created CRD established; answers the creation with the CRD as stored. */
        private MockResponse establish(RecordedRequest request, String path, MockResponse created) {
            ObjectNode crd = (ObjectNode) readTree(created.getBody().readUtf8());
            ArrayNode conditions = crd.withObject("/status").putArray("conditions");
            conditions.addObject().put("type", "NamesAccepted").put("status", "True");
            conditions.addObject().put("type", "Established").put("status", "True");
            MockResponse stored = crud.dispatch(forward(request, HttpMethod.PUT, path + "/status", crd.toString()));
            return stored.code() == 200 ? json(201, readTree(stored.getBody().readUtf8())) : json(201, crd);
        }

        private Call record(RecordedRequest request) {
            String full = request.getPath();
            int q = full.indexOf('?');
            String path = q < 0 ? full : full.substring(0, q);
            Map<String, List<String>> query = new LinkedHashMap<>();
            if (q >= 0) {
                for (String pair : full.substring(q + 1).split("&")) {
                    if (pair.isEmpty()) {
                        continue;
                    }
                    int eq = pair.indexOf('=');
                    String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    query.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
                }
            }
            String body = request.getBody() == null ? null : new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
            Call call = new Call(request.getMethod(), path, Collections.unmodifiableMap(query),
                    request.getHeader("Content-Type"), body, java.time.Instant.now(), client(request));
            calls.add(call);
            return call;
        }

        private static String client(RecordedRequest request) {
            String authorization = request.getHeader("Authorization");
            return authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7)
                    : request.getHeader("User-Agent");
        }

        @Override
        public void shutdown() {
            crud.shutdown();
        }
    }

    private static RecordedRequest forward(RecordedRequest original, HttpMethod method, String path, String body) {
        Headers headers = Headers.builder().add("Content-Type", "application/json").build();
        Buffer buffer = new Buffer();
        if (body != null) {
            buffer.writeUtf8(body);
        }
        return new RecordedRequest(method.name() + " " + path + " HTTP/1.1", method, path, headers, buffer);
    }

    /** The default field manager of a request that names none: its user agent up to the first {@code /}, as the API server's. */
    static String userAgentManager(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return "unknown";
        }
        int slash = userAgent.indexOf('/');
        return slash < 0 ? userAgent : userAgent.substring(0, slash);
    }

    /** What an API path names: a collection, an object, or a subresource of an object. */
    private enum Target {
        COLLECTION, OBJECT, SUBRESOURCE, OTHER;

        static Target of(String path) {
            List<String> segments = java.util.Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
            int prefix = segments.isEmpty() ? 0 : segments.get(0).equals("api") ? 2 : segments.get(0).equals("apis") ? 3 : 0;
            if (prefix == 0 || segments.size() <= prefix) {
                return OTHER;
            }
            List<String> rest = segments.subList(prefix, segments.size());
            boolean namespaceSubresource = rest.size() == 3 && (rest.get(2).equals("status") || rest.get(2).equals("finalize"));
            if (rest.get(0).equals("namespaces") && rest.size() >= 3 && !namespaceSubresource) {
                rest = rest.subList(2, rest.size());
            }
            return switch (rest.size()) {
                case 1 -> COLLECTION;
                case 2 -> OBJECT;
                case 3 -> SUBRESOURCE;
                default -> OTHER;
            };
        }
    }

    private static MockResponse status(int code, String reason, String message) {
        return json(code, JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Status").put("status", "Failure")
                .put("message", message).put("reason", reason).put("code", code));
    }

    private static MockResponse json(int code, JsonNode body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body.toString());
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Strong references: java.util.logging keeps loggers weakly, and a collected logger forgets its level. */
    private static final List<java.util.logging.Logger> QUIET = new CopyOnWriteArrayList<>();

    private static void quietMockLogging() {
        // The mock server logs every request at INFO through java.util.logging.
        for (String name : new String[] {"io.fabric8.mockwebserver", "io.fabric8.kubernetes.client.server.mock"}) {
            java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
            logger.setLevel(java.util.logging.Level.WARNING);
            QUIET.add(logger);
        }
    }
}
