package dev.drawbridge.apply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.json.Mappers;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The only class that talks to the API server: get, server-side apply and delete of arbitrary kinds
 * (custom resources included) through Fabric8's generic resources, lists through Fabric8's HTTP client (its
 * authentication, TLS and retries), with Jackson 2 trees on our side.
 */
public final class Cluster {

    /** Fixed forever: drift detection across restarts and versions depends on it. */
    public static final String FIELD_MANAGER = "drawbridge";

    private static final ObjectMapper JSON = Mappers.TREES;

    private final KubernetesClient client;
    /** Told what writes and reads answered; null: no watch cache. */
    private final LiveCache cache;
    /** The resource name (plural) of each apiVersion and kind listed so far. */
    private final Map<String, String> resources = new ConcurrentHashMap<>();

    public Cluster(KubernetesClient client) {
        this(client, null);
    }

    /** A cluster whose writes and reads also update {@code cache} (docs/live-state.md). */
    Cluster(KubernetesClient client, LiveCache cache) {
        this.client = client;
        this.cache = cache;
    }

    /** The live object, or null when it does not exist. */
    public ObjectNode get(ObjectRef ref) {
        GenericKubernetesResource live = resource(ref).get();
        if (live == null) {
            if (cache != null) {
                cache.absent(ref);
            }
            return null;
        }
        return observed(ref, toTree(live));
    }

    /** What the API server answered, also told to the watch cache (newer than what its watch may still deliver). */
    private ObjectNode observed(ObjectRef ref, ObjectNode stored) {
        if (cache != null && stored != null) {
            cache.written(ref, stored);
        }
        return stored;
    }

    /**
     * The objects of one kind (in one namespace, or cluster-wide when null) that carry the label
     * {@code key=value}; each with its apiVersion and kind set (list items may lack them). The answer is read
     * straight into trees (one JSON parse of the list, not Fabric8's model of each item and back): a list of
     * hundreds of objects is read at every reconcile.
     */
    List<ObjectNode> list(String apiVersion, String kind, String namespace, String key, String value) {
        String path = collectionPath(apiVersion, kind, namespace);
        if (path == null) {
            return listThroughModel(apiVersion, kind, namespace, key, value);
        }
        HttpClient http = client.getHttpClient();
        HttpRequest.Builder request = http.newHttpRequestBuilder()
                .uri(masterUrl() + path + "?labelSelector=" + URLEncoder.encode(key + "=" + value, StandardCharsets.UTF_8))
                .header("Accept", "application/json");
        int timeout = client.getConfiguration().getRequestTimeout();
        if (timeout > 0) {
            request.timeout(timeout, TimeUnit.MILLISECONDS);
        }
        HttpResponse<byte[]> response;
        try {
            response = http.sendAsync(request.build(), byte[].class).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted while listing " + path, e);
        } catch (ExecutionException e) {
            throw new KubernetesClientException("cannot list " + path + ": " + e.getCause().getMessage(), e.getCause());
        }
        if (!response.isSuccessful()) {
            throw new KubernetesClientException("cannot list " + path + ": " + response.code(), response.code(), null);
        }
        JsonNode items;
        try {
            items = JSON.readTree(response.body()).path("items");
        } catch (IOException e) {
            throw new KubernetesClientException("unreadable list from the API server: " + path, e);
        }
        List<ObjectNode> objects = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            if (item instanceof ObjectNode tree) {
                tree.put("apiVersion", apiVersion);
                tree.put("kind", kind);
                objects.add(tree);
            }
        }
        return objects;
    }

    private List<ObjectNode> listThroughModel(String apiVersion, String kind, String namespace, String key, String value) {
        var operation = client.genericKubernetesResources(apiVersion, kind);
        GenericKubernetesResourceList list = namespace == null ? operation.withLabel(key, value).list()
                : operation.inNamespace(namespace).withLabel(key, value).list();
        List<ObjectNode> items = new ArrayList<>();
        for (GenericKubernetesResource item : list.getItems()) {
            ObjectNode tree = toTree(item);
            tree.put("apiVersion", apiVersion);
            tree.put("kind", kind);
            items.add(tree);
        }
        return items;
    }

    /**
     * The API path of a kind's collection ({@code /api/v1/namespaces/shop/configmaps}, {@code /apis/apps/v1/deployments}),
     * or null when the kind's resource name is not known (neither in Fabric8's model nor served).
     */
    private String collectionPath(String apiVersion, String kind, String namespace) {
        String resource = resources.get(apiVersion + " " + kind);
        if (resource == null) {
            resource = resourceName(apiVersion, kind).orElse(null);
            if (resource == null) {
                return null; // not served (yet: a CRD being applied): asked again next time
            }
            resources.put(apiVersion + " " + kind, resource);
        }
        return (apiVersion.contains("/") ? "/apis/" : "/api/") + apiVersion
                + (namespace == null ? "" : "/namespaces/" + namespace) + "/" + resource;
    }

    private Optional<String> resourceName(String apiVersion, String kind) {
        Class<?> type = client.getKubernetesSerialization().getRegisteredKubernetesResource(apiVersion, kind);
        if (type != null && type != GenericKubernetesResource.class && HasMetadata.class.isAssignableFrom(type)) {
            return Optional.of(HasMetadata.getPlural(type.asSubclass(HasMetadata.class)));
        }
        return discovered(apiVersion, kind).map(APIResource::getName);
    }

    /** The kind as API discovery describes it (not a subresource); empty when not served or not answered. */
    private Optional<APIResource> discovered(String apiVersion, String kind) {
        try {
            APIResourceList served = client.getApiResources(apiVersion);
            if (served != null) {
                for (APIResource resource : served.getResources()) {
                    if (kind.equals(resource.getKind()) && !resource.getName().contains("/")) {
                        return Optional.of(resource);
                    }
                }
            }
        } catch (KubernetesClientException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private String masterUrl() {
        String url = client.getMasterUrl().toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Server-side apply with field manager {@code drawbridge} and forced conflicts; answers the stored object. */
    public ObjectNode apply(ObjectRef ref, ObjectNode body) {
        GenericKubernetesResource resource = client.getKubernetesSerialization()
                .unmarshal(body.toString(), GenericKubernetesResource.class);
        GenericKubernetesResource applied = operation(ref).resource(resource)
                .fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
        return applied == null ? null : observed(ref, toTree(applied));
    }

    /**
     * Server-side apply as {@link #apply} with {@code dryRun=All}: the API server validates, defaults and admits
     * the object as it would, and stores nothing. Answers what it would store.
     */
    ObjectNode dryRunApply(ObjectRef ref, ObjectNode body) {
        GenericKubernetesResource resource = client.getKubernetesSerialization()
                .unmarshal(body.toString(), GenericKubernetesResource.class);
        GenericKubernetesResource applied = operation(ref).resource(resource).dryRun()
                .fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
        return applied == null ? null : toTree(applied);
    }

    /**
     * A JSON patch ({@code application/json-patch+json}, RFC 6902) with field manager {@code drawbridge}: what
     * removes fields other managers own, which server-side apply keeps. Answers the stored object.
     */
    ObjectNode jsonPatch(ObjectRef ref, String patch) {
        PatchContext context = new PatchContext.Builder().withPatchType(PatchType.JSON).withFieldManager(FIELD_MANAGER).build();
        GenericKubernetesResource patched = resource(ref).patch(context, patch);
        return patched == null ? null : observed(ref, toTree(patched));
    }

    /** Deletes in the background (dependents are garbage collected); an absent object is not an error. */
    public void delete(ObjectRef ref) {
        if (cache != null) {
            cache.deleted(ref); // before the request: an answer lost on the way still leaves it read live
        }
        resource(ref).delete();
    }

    /** The watch cache of a kind when it is ready (docs/live-state.md); empty without one. */
    Optional<CachedObjects> cached(String apiVersion, String kind) {
        return cache == null ? Optional.empty() : cache.ready(apiVersion, kind);
    }

    /**
     * Whether objects of this kind live in a namespace: from Fabric8's model for built-in kinds, else from API
     * discovery. Null when the kind is unknown to both (e.g. a custom resource whose CRD is not applied yet).
     */
    Boolean isNamespaced(String apiVersion, String kind) {
        Class<?> type = client.getKubernetesSerialization().getRegisteredKubernetesResource(apiVersion, kind);
        if (type != null && type != GenericKubernetesResource.class) {
            return Namespaced.class.isAssignableFrom(type);
        }
        return discovered(apiVersion, kind).map(APIResource::getNamespaced).orElse(null);
    }

    /**
     * Whether the API server serves this kind (false: e.g. the CRD is gone). Throws when it cannot tell (the
     * API server is unreachable), so that an outage is never taken for a missing kind.
     */
    public boolean servesKind(String apiVersion, String kind) {
        Class<?> type = client.getKubernetesSerialization().getRegisteredKubernetesResource(apiVersion, kind);
        if (type != null && type != GenericKubernetesResource.class) {
            return true;
        }
        APIResourceList resources;
        try {
            resources = client.getApiResources(apiVersion);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw e;
        }
        return resources != null && resources.getResources().stream().anyMatch(r -> kind.equals(r.getKind()));
    }

    /** The namespace of objects that name none (the client's, like kubectl's). */
    String defaultNamespace() {
        String namespace = client.getNamespace();
        return namespace == null ? "default" : namespace;
    }

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> operation(
            ObjectRef ref) {
        var operation = client.genericKubernetesResources(ref.apiVersion(), ref.kind());
        return ref.namespace() == null ? operation : operation.inNamespace(ref.namespace());
    }

    private Resource<GenericKubernetesResource> resource(ObjectRef ref) {
        return operation(ref).withName(ref.name());
    }

    private ObjectNode toTree(GenericKubernetesResource resource) {
        try {
            return (ObjectNode) JSON.readTree(client.getKubernetesSerialization().asJson(resource));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable object from the API server", e);
        }
    }

    /** The HTTP status of an API error, or 0 when there was no answer. */
    static int code(Exception e) {
        if (e instanceof KubernetesClientException k && RetryAfter.behind(k).isPresent()) {
            return 429; // refused with Retry-After to the last attempt (see RetryAfter)
        }
        return e instanceof KubernetesClientException k ? k.getCode() : 0;
    }

    /**
     * A short description of an API error that is safe to log: the status code and reason, plus the server's
     * message unless the object is a Secret (whose values an error may quote).
     */
    public static String describe(ObjectRef ref, Exception e) {
        if (e instanceof KubernetesClientException k && RetryAfter.behind(k).isPresent()) {
            return "429 TooManyRequests: " + RetryAfter.behind(k).get().getMessage();
        }
        if (e instanceof KubernetesClientException k) {
            Status status = k.getStatus();
            StringBuilder text = new StringBuilder();
            if (k.getCode() > 0) {
                text.append(k.getCode());
            }
            if (status != null && status.getReason() != null) {
                text.append(text.isEmpty() ? "" : " ").append(status.getReason());
            }
            if (!ref.kind().equals("Secret")) {
                String message = status != null && status.getMessage() != null ? status.getMessage() : k.getMessage();
                if (message != null) {
                    message = message.length() > 300 ? message.substring(0, 300) + "..." : message;
                    text.append(text.isEmpty() ? "" : ": ").append(message);
                }
            }
            return text.isEmpty() ? "API error" : text.toString();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null || ref.kind().equals("Secret") ? "" : ": " + e.getMessage());
    }
}
