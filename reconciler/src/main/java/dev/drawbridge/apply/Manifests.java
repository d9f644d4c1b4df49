package dev.drawbridge.apply;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.hash.Sha256;
import dev.drawbridge.json.Mappers;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Pure functions on manifests: ownership labels, the applied-hash annotation, and "is desired a subset of live". */
public final class Manifests {

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "drawbridge";
    public static final String ENVIRONMENT = "drawbridge.dev/environment";
    static final String APPLIED_HASH = "drawbridge.dev/applied-hash";

    /** Set by the API server, never by a manifest; dropped from desired objects. */
    private static final String[] SERVER_METADATA = {"resourceVersion", "uid", "creationTimestamp", "generation",
            "managedFields", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds"};

    private static final ObjectMapper CANONICAL = Mappers.CANONICAL;

    private Manifests() {
    }

    /**
     * The object to apply: a copy of {@code object} without server-populated fields and status, with
     * {@code stringData} of a Secret folded into {@code data} (the API server stores only {@code data}) and the
     * ownership labels; without the applied-hash annotation (see {@link #annotateHash}).
     */
    static ObjectNode desired(ObjectNode object, String environment) {
        ObjectNode copy = object.deepCopy();
        copy.remove("status");
        ObjectNode metadata = copy.withObject("/metadata");
        for (String field : SERVER_METADATA) {
            metadata.remove(field);
        }
        if ("Secret".equals(copy.path("kind").asText()) && copy.path("stringData").isObject()) {
            ObjectNode data = copy.withObject("/data");
            copy.path("stringData").fields().forEachRemaining(e -> data.put(e.getKey(),
                    Base64.getEncoder().encodeToString(e.getValue().asText().getBytes(StandardCharsets.UTF_8))));
            copy.remove("stringData");
        }
        ObjectNode labels = metadata.withObject("/labels");
        labels.put(MANAGED_BY, MANAGER);
        labels.put(ENVIRONMENT, environment);
        if (metadata.path("annotations").isObject()) {
            ((ObjectNode) metadata.get("annotations")).remove(APPLIED_HASH);
            if (metadata.get("annotations").isEmpty()) {
                metadata.remove("annotations");
            }
        }
        return copy;
    }

    /** Adds the applied-hash annotation (sha256 of {@code desired} without it) and answers the hash. */
    static String annotateHash(ObjectNode desired) {
        String hash = hash(desired);
        desired.withObject("/metadata").withObject("/annotations").put(APPLIED_HASH, hash);
        return hash;
    }

    /**
     * {@code sha256:<hex>} of the canonical JSON (keys sorted) of {@code object}: the bytes that
     * {@code ObjectMapper} with {@code ORDER_MAP_ENTRIES_BY_KEYS} writes for the object as plain maps and lists
     * (so hashes kept in live objects stay valid), written straight from the tree.
     */
    static String hash(JsonNode object) {
        try {
            MessageDigest sha256 = Sha256.start();
            try (JsonGenerator out = CANONICAL.getFactory().createGenerator(
                    new DigestOutputStream(OutputStream.nullOutputStream(), sha256))) {
                if (!writeSorted(out, object)) {
                    out.close();
                    sha256.reset();
                    sha256.update(CANONICAL.writeValueAsBytes(CANONICAL.treeToValue(object, Object.class)));
                }
            }
            return "sha256:" + Sha256.finish(sha256);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code node} with the fields of every object sorted; false (and stops) at a value that is not plain JSON. */
    private static boolean writeSorted(JsonGenerator out, JsonNode node) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<String> names = new ArrayList<>(node.size());
                node.fieldNames().forEachRemaining(names::add);
                Collections.sort(names);
                out.writeStartObject();
                for (String name : names) {
                    out.writeFieldName(name);
                    if (!writeSorted(out, node.get(name))) {
                        return false;
                    }
                }
                out.writeEndObject();
            }
            case ARRAY -> {
                out.writeStartArray();
                for (JsonNode item : node) {
                    if (!writeSorted(out, item)) {
                        return false;
                    }
                }
                out.writeEndArray();
            }
            case STRING -> out.writeString(node.textValue());
            case BOOLEAN -> out.writeBoolean(node.booleanValue());
            case NULL -> out.writeNull();
            case NUMBER -> {
                switch (node.numberType()) {
                    case INT -> out.writeNumber(node.intValue());
                    case LONG -> out.writeNumber(node.longValue());
                    case BIG_INTEGER -> out.writeNumber(node.bigIntegerValue());
                    case FLOAT -> out.writeNumber(node.floatValue());
                    case DOUBLE -> out.writeNumber(node.doubleValue());
                    case BIG_DECIMAL -> out.writeNumber(node.decimalValue());
                    default -> {
                        return false;
                    }
                }
            }
            default -> {
                return false; // binary or POJO values: written the slow way
            }
        }
        return true;
    }

    /** The applied-hash annotation of a live object, or null. */
    static String appliedHash(JsonNode live) {
        JsonNode hash = live.path("metadata").path("annotations").path(APPLIED_HASH);
        return hash.isTextual() ? hash.asText() : null;
    }

    /**
     * Whether every field of {@code desired} has the same value in {@code live}: fields only in {@code live}
     * (set by the server or by other field managers) are ignored. A list must have as many items in both, item
     * by item the same (items compared the same way, so fields the server defaults inside an item, such as a
     * container's {@code imagePullPolicy}, do not count, but an added or removed item does). Numbers and
     * quantities compare by value ({@code cpu: 1} matches the canonical {@code "1"}, {@code 1000m} matches
     * {@code 1}); an empty object or list, or null, in {@code desired} matches an absent field.
     */
    static boolean containedIn(JsonNode desired, JsonNode live) {
        if (desired == null || desired.isNull() || desired.isMissingNode()) {
            return live == null || live.isNull() || live.isMissingNode();
        }
        if ((desired.isObject() || desired.isArray()) && desired.isEmpty()
                && (live == null || live.isNull() || live.isMissingNode() || live.isEmpty())) {
            return true;
        }
        if (live == null || live.isMissingNode()) {
            return false;
        }
        if (desired.isObject()) {
            if (!live.isObject()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = desired.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!containedIn(field.getValue(), live.get(field.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (desired.isArray()) {
            if (!live.isArray() || live.size() != desired.size()) {
                return false;
            }
            for (int i = 0; i < desired.size(); i++) {
                if (!containedIn(desired.get(i), live.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (desired.isNumber() && live.isNumber()) {
            return desired.decimalValue().compareTo(live.decimalValue()) == 0;
        }
        if (desired.equals(live)) {
            return true;
        }
        // The API server stores quantities in canonical form: cpu: 1 -> "1", "1000m" -> "1", "0.5" -> "500m".
        BigDecimal desiredQuantity = quantity(desired);
        BigDecimal liveQuantity = quantity(live);
        return desiredQuantity != null && liveQuantity != null && (desired.isNumber() || live.isNumber()
                || hasSuffix(desired) || hasSuffix(live)) && desiredQuantity.compareTo(liveQuantity) == 0;
    }

    private static final Pattern QUANTITY = Pattern.compile("([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))"
            + "(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?");
    private static final List<String> SUFFIXES = List.of("n", "u", "m", "", "k", "M", "G", "T", "P", "E");

    /** The value of a Kubernetes quantity ({@code 500m}, {@code 1Gi}, {@code 2}), or null when it is none. */
    static BigDecimal quantity(JsonNode node) {
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (!node.isTextual()) {
            return null;
        }
        Matcher m = QUANTITY.matcher(node.asText());
        if (!m.matches()) {
            return null;
        }
        BigDecimal number = new BigDecimal(m.group(1));
        String suffix = m.group(2);
        if (suffix == null) {
            return number;
        }
        if (suffix.length() == 2 && suffix.charAt(1) == 'i') {
            int power = "KMGTPE".indexOf(suffix.charAt(0)) + 1;
            return number.multiply(BigDecimal.valueOf(1024).pow(power));
        }
        if (suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
            return number.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
        }
        return number.scaleByPowerOfTen(3 * (SUFFIXES.indexOf(suffix) - 3));
    }

    private static boolean hasSuffix(JsonNode node) {
        Matcher m = QUANTITY.matcher(node.asText());
        return m.matches() && m.group(2) != null;
    }

    /** The scope of a custom resource whose CRD is among the desired objects, else null. */
    static Boolean scopeFromCrds(String apiVersion, String kind, List<ObjectNode> objects) {
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        for (ObjectNode object : objects) {
            if ("CustomResourceDefinition".equals(object.path("kind").asText())
                    && group.equals(object.path("spec").path("group").asText())
                    && kind.equals(object.path("spec").path("names").path("kind").asText())) {
                return "Namespaced".equals(object.path("spec").path("scope").asText());
            }
        }
        return null;
    }

    static String requiredText(JsonNode node, String error) throws ApplyException {
        if (!node.isTextual() || node.asText().isBlank()) {
            throw new ApplyException(ApplyException.Reason.INVALID_OBJECT, List.of(), error, ChangeSet.empty());
        }
        return node.asText();
    }
}
