package dev.drawbridge.image;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The inspect stage: finds every container image reference in rendered objects, wherever a pod spec
 * can hold one, and parses it.
 *
 * <p>Pod specs are looked for at {@code spec} of a {@code v1/Pod}, {@code template.spec} of a
 * {@code PodTemplate}, and {@code spec.template.spec} and {@code spec.jobTemplate.spec.template.spec}
 * of ANY kind: that covers Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs,
 * ReplicationControllers and CronJobs, and also custom resources built the same way (Argo Rollouts,
 * Knative, ...), which a gate must not miss. In a pod spec, the images are those of
 * {@code containers}, {@code initContainers} and {@code ephemeralContainers}, and those of image volumes
 * ({@code volumes[].image.reference}, Kubernetes 1.31+): an image mounted as a volume runs on the node as
 * surely as a container's, so it is verified and pinned the same way. Other custom kinds are covered by
 * {@link ExtraImagePath}s.
 */
public final class ImageInspector {

    private static final List<String> TEMPLATE_PATHS = List.of("spec.template.spec", "spec.jobTemplate.spec.template.spec");
    private static final List<String> CONTAINER_LISTS = List.of("containers", "initContainers", "ephemeralContainers");

    private final List<ExtraImagePath> extra;

    public ImageInspector(List<ExtraImagePath> extra) {
        this.extra = extra == null ? List.of() : List.copyOf(extra);
    }

    public ImageInspector() {
        this(List.of());
    }

    public InspectResult inspect(List<? extends JsonNode> objects) {
        Map<String, TreeSet<String>> uses = new TreeMap<>();
        Map<String, ImageReference> parsed = new TreeMap<>();
        List<InspectError> errors = new ArrayList<>();
        for (JsonNode object : objects) {
            if (object == null || !object.isObject()) {
                continue;
            }
            inspectObject(object, new Found(WorkloadId.of(object), uses, parsed, errors));
        }
        List<ImageUse> images = new ArrayList<>();
        uses.forEach((reference, workloads) ->
                images.add(new ImageUse(reference, parsed.get(reference), List.copyOf(workloads))));
        return new InspectResult(images, errors);
    }

    private void inspectObject(JsonNode object, Found found) {
        for (String podSpecPath : podSpecPaths(object)) {
            JsonNode podSpec = at(object, podSpecPath);
            if (podSpec.isObject()) {
                inspectPodSpec(podSpec, podSpecPath, found);
            }
        }
        String apiVersion = object.path("apiVersion").asText();
        String kind = object.path("kind").asText();
        for (ExtraImagePath path : extra) {
            if (path.matches(apiVersion, kind)) {
                walk(object, path.path().split("\\."), 0, "", found);
            }
        }
    }

    /**
     * {@code objects} with every image reference found by {@link #inspect} replaced by its pinned form
     * ({@code repo@sha256:...}), so that what runs is what was verified. An object with an image is a copy; one
     * without is the object given (neither is changed).
     *
     * @param pinned the pinned form of each reference as written
     * @throws IllegalArgumentException when an image has no pinned form or a field cannot be rewritten:
     *                                  nothing unverified may be applied
     */
    public List<ObjectNode> pin(List<ObjectNode> objects, Map<String, String> pinned) {
        List<ObjectNode> out = new ArrayList<>(objects.size());
        for (ObjectNode original : objects) {
            Found found = new Found(WorkloadId.of(original), new TreeMap<>(), new TreeMap<>(), new ArrayList<>());
            inspectObject(original, found);
            if (!found.errors().isEmpty()) {
                throw new IllegalArgumentException(found.errors().get(0).toString());
            }
            if (found.fields().isEmpty()) {
                out.add(original); // nothing to pin (a ConfigMap, a Service): not copied
                continue;
            }
            ObjectNode copy = original.deepCopy();
            for (String field : found.fields()) {
                JsonPointer pointer = pointer(field);
                JsonNode current = copy.at(pointer);
                String replacement = pinned.get(current.asText());
                if (replacement == null) {
                    throw new IllegalArgumentException(found.workload() + ": " + field + " (" + current.asText()
                            + ") has no verified digest to pin");
                }
                JsonNode parent = copy.at(pointer.head());
                if (parent instanceof ObjectNode holder) {
                    holder.put(pointer.last().getMatchingProperty(), replacement);
                } else if (parent instanceof ArrayNode list) {
                    list.set(pointer.last().getMatchingIndex(), TextNode.valueOf(replacement));
                } else {
                    throw new IllegalArgumentException(found.workload() + ": cannot rewrite " + field);
                }
            }
            out.add(copy);
        }
        return out;
    }

    /** {@code spec.template.spec.containers[0].image} -> {@code /spec/template/spec/containers/0/image}. */
    static JsonPointer pointer(String field) {
        StringBuilder b = new StringBuilder();
        for (String segment : field.split("\\.")) {
            int bracket = segment.indexOf('[');
            String name = bracket < 0 ? segment : segment.substring(0, bracket);
            if (!name.isEmpty()) {
                b.append('/').append(name.replace("~", "~0").replace("/", "~1"));
            }
            while (bracket >= 0) {
                int close = segment.indexOf(']', bracket);
                b.append('/').append(segment, bracket + 1, close);
                bracket = segment.indexOf('[', close);
            }
        }
        return JsonPointer.compile(b.toString());
    }

    private static List<String> podSpecPaths(JsonNode object) {
        String kind = object.path("kind").asText();
        String apiVersion = object.path("apiVersion").asText();
        if (kind.equals("Pod") && apiVersion.equals("v1")) {
            return List.of("spec");
        }
        if (kind.equals("PodTemplate") && apiVersion.equals("v1")) {
            return List.of("template.spec");
        }
        return TEMPLATE_PATHS;
    }

    private static void inspectPodSpec(JsonNode podSpec, String prefix, Found found) {
        for (String list : CONTAINER_LISTS) {
            JsonNode containers = podSpec.get(list);
            if (containers == null || containers.isNull()) {
                continue;
            }
            String listField = prefix + "." + list;
            if (!containers.isArray()) {
                found.error(listField, null, list + " is not a list");
                continue;
            }
            for (int i = 0; i < containers.size(); i++) {
                JsonNode container = containers.get(i);
                String field = listField + "[" + i + "].image";
                if (!container.isObject()) {
                    found.error(listField + "[" + i + "]", null, "container is not a mapping");
                    continue;
                }
                JsonNode image = container.get("image");
                if (image == null || image.isNull()) {
                    String name = container.path("name").asText("");
                    found.error(field, null, "container " + (name.isEmpty() ? "#" + i : "\"" + name + "\"") + " has no image");
                    continue;
                }
                found.image(field, image);
            }
        }
        inspectImageVolumes(podSpec, prefix, found);
    }

    /** {@code volumes[].image.reference}: an OCI image or artifact mounted as a volume. */
    private static void inspectImageVolumes(JsonNode podSpec, String prefix, Found found) {
        JsonNode volumes = podSpec.get("volumes");
        if (volumes == null || !volumes.isArray()) {
            return; // not a list: the API server refuses the object, and no image is hidden in it
        }
        for (int i = 0; i < volumes.size(); i++) {
            JsonNode image = volumes.get(i).get("image");
            if (image == null || image.isNull()) {
                continue;
            }
            String field = prefix + ".volumes[" + i + "].image";
            String name = volumes.get(i).path("name").asText("");
            String volume = name.isEmpty() ? "#" + i : "\"" + name + "\"";
            if (!image.isObject()) {
                found.error(field, null, "image volume " + volume + " is not a mapping");
                continue;
            }
            JsonNode reference = image.get("reference");
            if (reference == null || reference.isNull()) {
                found.error(field + ".reference", null, "image volume " + volume + " has no reference");
                continue;
            }
            found.image(field + ".reference", reference);
        }
    }

    /** Follows an {@link ExtraImagePath}: {@code name[]} iterates an array, {@code *} any field or element. */
    private static void walk(JsonNode node, String[] segments, int index, String field, Found found) {
        if (index == segments.length) {
            if (!node.isMissingNode() && !node.isNull()) {
                found.image(field, node);
            }
            return;
        }
        String segment = segments[index];
        boolean each = segment.endsWith("[]");
        String name = each ? segment.substring(0, segment.length() - 2) : segment;
        String prefix = field.isEmpty() ? "" : field + ".";
        if (name.equals("*")) {
            if (node.isObject()) {
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    step(e.getValue(), each, segments, index, prefix + e.getKey(), found);
                }
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    step(node.get(i), each, segments, index, field + "[" + i + "]", found);
                }
            }
            return;
        }
        if (name.isEmpty()) { // a bare "[]" segment: the current node is the array
            step(node, true, segments, index, field, found);
            return;
        }
        JsonNode child = node.path(name);
        step(child, each, segments, index, prefix + name, found);
    }

    private static void step(JsonNode child, boolean each, String[] segments, int index, String field, Found found) {
        if (!each) {
            walk(child, segments, index + 1, field, found);
        } else if (child.isArray()) {
            for (int i = 0; i < child.size(); i++) {
                walk(child.get(i), segments, index + 1, field + "[" + i + "]", found);
            }
        }
    }

    private static JsonNode at(JsonNode object, String dotted) {
        JsonNode node = object;
        for (String part : dotted.split("\\.")) {
            node = node.path(part);
        }
        return node;
    }

    /** Collects what one object yields. */
    private record Found(String workload, Map<String, TreeSet<String>> uses, Map<String, ImageReference> parsed,
                         List<InspectError> errors, List<String> fields) {

        Found(String workload, Map<String, TreeSet<String>> uses, Map<String, ImageReference> parsed,
              List<InspectError> errors) {
            this(workload, uses, parsed, errors, new ArrayList<>());
        }

        void image(String field, JsonNode value) {
            if (!value.isTextual()) {
                error(field, null, "image is not a string but " + value.getNodeType().name().toLowerCase());
                return;
            }
            String reference = value.asText();
            if (reference.isBlank()) {
                error(field, reference, "image is empty");
                return;
            }
            ImageReference ref = parsed.get(reference);
            if (ref == null) {
                try {
                    ref = ImageReference.parse(reference);
                } catch (InvalidImageReferenceException e) {
                    error(field, reference, e.getMessage());
                    return;
                }
                parsed.put(reference, ref);
            }
            uses.computeIfAbsent(reference, r -> new TreeSet<>()).add(workload);
            fields.add(field);
        }

        void error(String field, String reference, String message) {
            errors.add(new InspectError(workload, field, reference, message));
        }
    }
}
