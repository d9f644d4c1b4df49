package dev.drawbridge.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.gate.ImageVerdict;
import dev.drawbridge.gate.Rules;
import dev.drawbridge.gate.Verdict;
import dev.drawbridge.gate.Violation;
import dev.drawbridge.json.Mappers;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A gate report as SARIF 2.1.0, for code-scanning UIs. Each violation is a result located at the
 * environment's kustomization (the rendered manifests have no source lines) with the workloads as
 * logical locations; an image that could not be verified is an error-level result.
 */
public final class SarifReport {
    private static final ObjectMapper MAPPER = Mappers.PRETTY;
    private static final Map<String, String> RULES = new LinkedHashMap<>();

    static {
        RULES.put(Rules.REGISTRY_ALLOWED, "Images come only from the registries the policy allows");
        RULES.put(Rules.IMAGE_DIGEST, "Images are pinned by digest in the manifests");
        RULES.put(Rules.IMAGE_AGE, "Images are younger than the policy's maximum age");
        RULES.put(Rules.SCAN_PRESENT, "Images have a successful vulnerability scan in the registry");
        RULES.put(Rules.SCAN_FRESH, "Scans are more recent than the policy's maximum scan age");
        RULES.put(Rules.SCAN_SEVERITY, "Images have no vulnerability of a blocking severity");
        RULES.put(Rules.EXCEPTION_EXPIRED, "Exceptions that a finding relies on have not expired");
        RULES.put(Rules.SBOM_PRESENT, "Images have an SBOM attached");
        RULES.put(Rules.NETWORK_POLICY, "Every namespace deployed to gets a NetworkPolicy from Git");
        RULES.put(Rules.PROMOTION_EVIDENCE, "Images were verified and applied in the previous environment");
        RULES.put(Rules.VERIFY_ERROR, "Images can be verified in the registry");
    }

    private SarifReport() {
    }

    public static String render(GateReport report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        root.put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "drawbridge");
        driver.put("informationUri", "https://drawbridge.dev");
        ArrayNode rules = driver.putArray("rules");
        RULES.forEach((id, text) -> {
            ObjectNode rule = rules.addObject();
            rule.put("id", id);
            rule.putObject("shortDescription").put("text", text);
        });
        ArrayNode results = run.putArray("results");
        String uri = (report.path() == null ? "." : report.path()) + "/kustomization.yaml";
        for (ImageVerdict v : report.result().images()) {
            for (Violation x : v.violations()) {
                ObjectNode result = result(results, x, level(v.verdict()), uri);
                ArrayNode logical = ((ObjectNode) result.get("locations").get(0)).putArray("logicalLocations");
                v.workloads().forEach(w -> logical.addObject().put("fullyQualifiedName", w).put("kind", "resource"));
                ObjectNode props = result.putObject("properties");
                props.put("image", v.image().normalized());
                props.put("digest", v.digest() == null ? null : v.digest().toString());
                if (x.severity() != null) {
                    props.put("severity", x.severity().name());
                }
            }
        }
        for (Violation x : report.result().manifestViolations()) {
            result(results, x, "error", uri);
        }
        for (String e : report.result().errors()) {
            result(results, Violation.of(Rules.VERIFY_ERROR, e, null), "error", uri);
        }
        ObjectNode props = run.putObject("properties");
        props.put("environment", report.environment().value());
        props.put("revision", report.revision() == null ? null : report.revision().hex());
        props.put("policyRevision", report.policyRevision());
        props.put("decision", report.result().decision().name());
        try {
            return MAPPER.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode result(ArrayNode results, Violation x, String level, String uri) {
        ObjectNode result = results.addObject();
        result.put("ruleId", x.rule());
        result.put("level", level);
        result.putObject("message").put("text", x.fix() == null ? x.message() : x.message() + ". Fix: " + x.fix());
        result.putArray("locations").addObject().putObject("physicalLocation").putObject("artifactLocation").put("uri", uri);
        return result;
    }

    private static String level(Verdict verdict) {
        return switch (verdict) {
            case BLOCK, ERROR -> "error";
            case WARN -> "warning";
            case PASS -> "note";
        };
    }
}
