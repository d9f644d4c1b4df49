package dev.drawbridge.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.gate.ImageVerdict;
import dev.drawbridge.gate.Violation;
import dev.drawbridge.json.Mappers;

/** The JSON form of a gate report, exactly the object docs/policies.md ("Decisions") shows for {@code check --format json}. */
public final class CheckJson {
    private static final ObjectMapper MAPPER = Mappers.PRETTY;

    private CheckJson() {
    }

    public static ObjectNode toJson(GateReport report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("environment", report.environment().value());
        root.put("revision", report.revision() == null ? null : report.revision().hex());
        root.put("policyRevision", report.policyRevision());
        root.put("decision", report.result().decision().name());
        ArrayNode images = root.putArray("images");
        for (ImageVerdict v : report.result().images()) {
            ObjectNode image = images.addObject();
            image.put("reference", v.reference());
            image.put("normalized", v.image().normalized());
            image.put("digest", v.digest() == null ? null : v.digest().toString());
            v.workloads().forEach(image.putArray("workloads")::add);
            image.put("verdict", v.verdict().name());
            ArrayNode violations = image.putArray("violations");
            v.violations().forEach(x -> violation(violations.addObject(), x));
            v.accepted().forEach(image.putArray("accepted")::add);
        }
        ArrayNode manifest = root.putArray("violations");
        report.result().manifestViolations().forEach(x -> violation(manifest.addObject(), x));
        report.result().errors().forEach(root.putArray("errors")::add);
        report.result().skipped().forEach(root.putArray("skipped")::add);
        return root;
    }

    public static String render(GateReport report) {
        try {
            return MAPPER.writeValueAsString(toJson(report));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void violation(ObjectNode node, Violation v) {
        node.put("rule", v.rule());
        node.put("message", v.message());
        node.put("id", v.id());
        node.put("severity", v.severity() == null ? null : v.severity().name());
        node.put("package", v.pkg());
        node.put("fixedIn", v.fixedIn());
        node.put("fix", v.fix());
    }
}
