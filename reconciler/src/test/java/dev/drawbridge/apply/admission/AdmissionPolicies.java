package dev.drawbridge.apply.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.apply.testing.TestObjects;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The ValidatingAdmissionPolicies and their bindings of a set of manifests, acting as the API server's admission
 * on requests of a test: each binding's policy is matched ({@code matchConstraints}, then the binding's
 * {@code matchResources}) and evaluated ({@link AdmissionPolicy}); a failure is a denial when the binding's
 * {@code validationActions} include {@code Deny}. The cluster's namespaces (for {@code namespaceSelector} and
 * {@code namespaceObject}) are given by the test; each gets the label {@code kubernetes.io/metadata.name} as the API
 * server sets it.
 */
final class AdmissionPolicies {

    private record Binding(String name, AdmissionPolicy policy, MatchResources matchResources, boolean deny) {
    }

    /** The admission's answer: allowed, or denied with one message per failed policy. */
    record Review(AdmissionRequest request, List<String> denials, List<String> errors, List<String> evaluated,
                  Map<String, String> auditAnnotations) {

        boolean allowed() {
            return denials.isEmpty() && errors.isEmpty();
        }

        /** Denied by a validation that evaluated to false (not by an expression that failed). */
        boolean deniedByRule() {
            return !denials.isEmpty() && errors.isEmpty();
        }

        @Override
        public String toString() {
            return request + " -> " + (allowed() ? "allowed" : "denied") + " (evaluated " + evaluated + ", denials "
                    + denials + ", errors " + errors + ", audit " + auditAnnotations + ")";
        }
    }

    private final Map<String, AdmissionPolicy> policies = new LinkedHashMap<>();
    private final List<Binding> bindings = new ArrayList<>();
    private final Map<String, ObjectNode> namespaces = new LinkedHashMap<>();

    private AdmissionPolicies(List<ObjectNode> objects) {
        for (ObjectNode object : objects) {
            if (isAdmission(object, "ValidatingAdmissionPolicy")) {
                AdmissionPolicy policy = AdmissionPolicy.of(object);
                policies.put(policy.name(), policy);
            }
        }
        for (ObjectNode object : objects) {
            if (isAdmission(object, "ValidatingAdmissionPolicyBinding")) {
                JsonNode spec = object.path("spec");
                AdmissionPolicy policy = policies.get(spec.path("policyName").asText());
                if (policy == null) {
                    throw new IllegalArgumentException("binding " + object.at("/metadata/name").asText()
                            + " names no policy of these manifests: " + spec.path("policyName").asText());
                }
                if (spec.has("paramRef")) {
                    throw new IllegalArgumentException("paramRef is not supported by this harness");
                }
                List<String> actions = new ArrayList<>();
                spec.path("validationActions").forEach(a -> actions.add(a.asText()));
                MatchResources narrower = spec.has("matchResources") ? MatchResources.of(spec.path("matchResources")) : null;
                bindings.add(new Binding(object.at("/metadata/name").asText(), policy, narrower, actions.contains("Deny")));
            }
        }
    }

    /** The policies and bindings of these objects. */
    static AdmissionPolicies of(List<ObjectNode> objects) {
        return new AdmissionPolicies(objects);
    }

    /** The policies and bindings of every YAML file directly in {@code dir} (e.g. {@code deploy/}). */
    static AdmissionPolicies fromDirectory(Path dir) {
        List<ObjectNode> objects = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                objects.addAll(TestObjects.parse(Files.readString(file)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return of(objects);
    }

    /** The names of the policies, e.g. to check that every one is bound. */
    List<String> policyNames() {
        return List.copyOf(policies.keySet());
    }

    List<String> boundPolicyNames() {
        return bindings.stream().map(b -> b.policy().name()).distinct().toList();
    }

    /** Adds a namespace of the cluster (labels as given, plus kubernetes.io/metadata.name). */
    AdmissionPolicies withNamespace(String name, Map<String, String> labels, String phase) {
        ObjectNode namespace = TestObjects.parse("apiVersion: v1\nkind: Namespace\nmetadata: {name: " + name + "}\n").get(0);
        ObjectNode meta = (ObjectNode) namespace.path("metadata");
        ObjectNode labelNode = meta.putObject("labels");
        labels.forEach(labelNode::put);
        labelNode.put("kubernetes.io/metadata.name", name);
        namespace.putObject("status").put("phase", phase);
        namespaces.put(name, namespace);
        return this;
    }

    Review review(AdmissionRequest request) {
        Map<String, Map<String, String>> labels = new LinkedHashMap<>();
        namespaces.forEach((name, ns) -> labels.put(name, MatchResources.labels(ns)));
        List<String> denials = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<String> evaluated = new ArrayList<>();
        Map<String, String> audit = new LinkedHashMap<>();
        for (Binding binding : bindings) {
            if (!binding.policy().match().matches(request, labels)
                    || binding.matchResources() != null && !binding.matchResources().matches(request, labels)) {
                continue;
            }
            AdmissionPolicy.Evaluation result = binding.policy().evaluate(request, namespaces.get(request.namespace()));
            if (result instanceof AdmissionPolicy.Evaluation.Skipped) {
                continue;
            }
            evaluated.add(binding.policy().name());
            if (result instanceof AdmissionPolicy.Evaluation.Passed passed) {
                audit.putAll(passed.auditAnnotations());
            } else if (result instanceof AdmissionPolicy.Evaluation.Failed failed && binding.deny()) {
                (failed.error() ? errors : denials).add(failed.message());
            }
        }
        return new Review(request, denials, errors, evaluated, audit);
    }

    private static boolean isAdmission(JsonNode object, String kind) {
        return object.path("apiVersion").asText().equals("admissionregistration.k8s.io/v1")
                && object.path("kind").asText().equals(kind);
    }
}
