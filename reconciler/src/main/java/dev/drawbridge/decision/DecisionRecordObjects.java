package dev.drawbridge.decision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.apply.Manifests;
import dev.drawbridge.decision.DecisionRecord.RecordedImage;
import dev.drawbridge.hash.Sha256;
import dev.drawbridge.json.Mappers;
import dev.drawbridge.values.EnvironmentName;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link DecisionRecord} as a {@code DecisionRecord} object of the API server and back: its deterministic
 * name, its labels and spec, and whether a live object already says the same.
 */
final class DecisionRecordObjects {

    private static final ObjectMapper JSON = Mappers.TREES;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmssSSS").withZone(ZoneOffset.UTC);
    private static final int MAX_NAME = 63;

    private DecisionRecordObjects() {
    }

    /**
     * The object name of a record: {@code <env>-<first 12 of revision>-<first 8 of policy revision>}, lower-case
     * DNS-1123, at most 63 characters; a record without a revision is named by its time instead. An environment
     * name too long to fit is shortened and given a hash suffix, so two environments never share a name.
     */
    static String objectName(DecisionRecord record) {
        return objectName(record.environment(), record.revision(), record.policyRevision(), record.time());
    }

    static String objectName(EnvironmentName name, String revision, String policyRevision, Instant time) {
        String env = name.value();
        String suffix = "-" + (revision == null ? "t" + STAMP.format(time) : prefix(dns(bare(revision)), 12))
                + (policyRevision == null ? "" : "-" + prefix(dns(bare(policyRevision)), 8));
        String environment = dns(env);
        int room = MAX_NAME - suffix.length();
        if (environment.length() > room || !environment.equals(env)) {
            // Shortened or changed by the DNS rules: a hash of the real name keeps names apart.
            String hash = sha256(env).substring(0, 6);
            environment = prefix(environment, room - hash.length() - 1) + "-" + hash;
        }
        return environment + suffix;
    }

    /** {@code sha1:4f2c...} or {@code env/dev@4f2c...} -> {@code 4f2c...}. */
    private static String bare(String revision) {
        int cut = Math.max(revision.lastIndexOf(':'), revision.lastIndexOf('@'));
        return cut >= 0 && cut < revision.length() - 1 ? revision.substring(cut + 1) : revision;
    }

    private static String dns(String value) {
        String name = value.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return name.isEmpty() ? "x" : name;
    }

    private static String prefix(String value, int length) {
        String cut = value.length() <= length ? value : value.substring(0, length);
        return cut.replaceAll("-+$", "");
    }

    private static String sha256(String value) {
        return Sha256.hex(value);
    }

    static ObjectNode toObject(String name, String namespace, DecisionRecord record) {
        ObjectNode object = JSON.createObjectNode().put("apiVersion", KubernetesDecisionStore.API_VERSION)
                .put("kind", KubernetesDecisionStore.KIND);
        ObjectNode metadata = object.putObject("metadata").put("name", name).put("namespace", namespace);
        metadata.putObject("labels")
                .put(Manifests.MANAGED_BY, Manifests.MANAGER)
                .put(Manifests.ENVIRONMENT, record.environment().value())
                .put(KubernetesDecisionStore.DECISION_LABEL, record.decision());
        ObjectNode spec = object.putObject("spec").put("environment", record.environment().value());
        putIfPresent(spec, "revision", record.revision());
        putIfPresent(spec, "policyRevision", record.policyRevision());
        spec.put("decision", record.decision()).put("time", record.time().toString());
        ArrayNode images = spec.putArray("images");
        for (RecordedImage image : record.images()) {
            ObjectNode entry = images.addObject().put("reference", image.reference());
            putIfPresent(entry, "digest", image.digest());
            entry.put("verdict", image.verdict());
            if (!image.violations().isEmpty()) {
                ArrayNode violations = entry.putArray("violations");
                image.violations().forEach(violations::add);
            }
        }
        spec.put("applied", record.applied());
        putIfPresent(spec, "reason", record.reason());
        spec.put("description", record.description());
        return object;
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    static DecisionRecord fromObject(JsonNode object) {
        JsonNode spec = object.path("spec");
        List<RecordedImage> images = new ArrayList<>();
        for (JsonNode image : spec.path("images")) {
            List<String> violations = new ArrayList<>();
            image.path("violations").forEach(v -> violations.add(v.asText()));
            images.add(new RecordedImage(image.path("reference").asText(null), image.path("digest").asText(null),
                    image.path("verdict").asText(null), violations));
        }
        return new DecisionRecord(EnvironmentName.of(spec.path("environment").asText(null)), spec.path("revision").asText(null),
                spec.path("policyRevision").asText(null), spec.path("decision").asText(null),
                Instant.parse(spec.path("time").asText()), images, spec.path("applied").asBoolean(false),
                spec.path("reason").asText(null), spec.path("description").asText(""));
    }

    /**
     * Whether the live object already says what we would write (then the write is skipped). The time is not
     * compared: the same decision about the same revision and policy, made again by a later reconcile (or by
     * another replica), keeps the record of when it was first made, and a reconcile that changes nothing
     * writes nothing.
     */
    static boolean sameContent(JsonNode live, ObjectNode desired) {
        JsonNode labels = live.path("metadata").path("labels");
        for (Map.Entry<String, JsonNode> label : desired.path("metadata").path("labels").properties()) {
            if (!label.getValue().equals(labels.get(label.getKey()))) {
                return false;
            }
        }
        ObjectNode wanted = ((ObjectNode) desired.path("spec")).deepCopy();
        JsonNode stored = live.path("spec").deepCopy();
        wanted.remove("time");
        if (stored instanceof ObjectNode s) {
            s.remove("time");
        }
        return wanted.equals(stored);
    }
}
