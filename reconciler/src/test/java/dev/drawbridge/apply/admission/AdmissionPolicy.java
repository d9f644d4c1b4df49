package dev.drawbridge.apply.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One ValidatingAdmissionPolicy ({@code admissionregistration.k8s.io/v1}), its CEL compiled with Google's CEL for
 * Java, evaluated as the API server does: every {@code matchCondition} (one false: the policy is skipped; an error
 * and none false: the failure policy), then the {@code variables} in order, then each {@code validation} (false:
 * the request fails with the {@code messageExpression}'s text, else the {@code message}, else the expression),
 * and the {@code auditAnnotations} (null or empty: none).
 *
 * <p>The environment is Kubernetes': {@code request}, {@code object}, {@code oldObject} (null on CREATE and DELETE
 * respectively), {@code params} (null: a policy with a {@code paramKind} is refused here), {@code namespaceObject}
 * (null for cluster-scoped requests) and {@code variables}, the standard macros and functions, and the extended
 * strings ({@code lowerAscii}, {@code split}, ...), sets and optional libraries. A function only Kubernetes has
 * ({@code url()}, {@code quantity()}, {@code authorizer}, ...) does not compile here: the test then fails loudly,
 * rather than pass without evaluating the policy.
 *
 * <p>Deviations, all stricter: an expression that does not compile is an error when the policy is loaded (the API
 * server would report it and apply the failure policy at each request); variables are evaluated eagerly, so a
 * variable that fails fails the policy even when no validation reads it.
 */
final class AdmissionPolicy {

    /** As Kubernetes' CEL environment: cross-type numeric comparisons, optionals, homogeneous list and map literals. */
    private static final CelOptions OPTIONS = CelOptions.current().enableHeterogeneousNumericComparisons(true)
            .enableOptionalSyntax(true).enableHomogeneousLiterals(true).build();
    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addCompilerLibraries(CelExtensions.strings(), CelExtensions.sets(OPTIONS), CelExtensions.optional())
            .addRuntimeLibraries(CelExtensions.strings(), CelExtensions.sets(OPTIONS), CelExtensions.optional())
            .addVar("request", SimpleType.DYN)
            .addVar("object", SimpleType.DYN)
            .addVar("oldObject", SimpleType.DYN)
            .addVar("params", SimpleType.DYN)
            .addVar("namespaceObject", SimpleType.DYN)
            .addVar("variables", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .build();

    private record Expression(String name, String text, CelRuntime.Program program) {
    }

    private record Validation(Expression check, String message, Expression messageExpression) {
    }

    /** What one policy says about one request. */
    sealed interface Evaluation {
        /** A match condition is false: the policy does not apply. */
        record Skipped(String condition) implements Evaluation {
        }

        /** Every validation holds. */
        record Passed(Map<String, String> auditAnnotations) implements Evaluation {
        }

        /** A validation is false ({@code error} false), or an expression failed under failurePolicy Fail. */
        record Failed(String message, boolean error) implements Evaluation {
        }
    }

    private final String name;
    private final boolean failClosed;
    private final MatchResources match;
    private final List<Expression> matchConditions = new ArrayList<>();
    private final List<Expression> variables = new ArrayList<>();
    private final List<Validation> validations = new ArrayList<>();
    private final List<Expression> auditAnnotations = new ArrayList<>();

    private AdmissionPolicy(JsonNode policy) {
        this.name = policy.at("/metadata/name").asText();
        JsonNode spec = policy.path("spec");
        if (spec.has("paramKind")) {
            throw new IllegalArgumentException(name + ": paramKind is not supported by this harness");
        }
        this.failClosed = !spec.path("failurePolicy").asText("Fail").equals("Ignore");
        this.match = MatchResources.of(spec.path("matchConstraints"));
        spec.path("matchConditions").forEach(c -> matchConditions.add(compile(c.path("name").asText(), c.path("expression"))));
        spec.path("variables").forEach(v -> variables.add(compile(v.path("name").asText(), v.path("expression"))));
        for (JsonNode v : spec.path("validations")) {
            validations.add(new Validation(compile("validation", v.path("expression")), v.path("message").asText(null),
                    v.has("messageExpression") ? compile("messageExpression", v.path("messageExpression")) : null));
        }
        spec.path("auditAnnotations").forEach(a -> auditAnnotations.add(compile(a.path("key").asText(), a.path("valueExpression"))));
        if (validations.isEmpty() && auditAnnotations.isEmpty()) {
            throw new IllegalArgumentException(name + ": a policy needs validations or auditAnnotations");
        }
    }

    static AdmissionPolicy of(JsonNode policy) {
        return new AdmissionPolicy(policy);
    }

    String name() {
        return name;
    }

    MatchResources match() {
        return match;
    }

    private Expression compile(String what, JsonNode expression) {
        String text = expression.asText();
        if (text.isBlank()) {
            throw new IllegalArgumentException(name + ": " + what + " has no expression");
        }
        try {
            return new Expression(what, text, CEL.createProgram(CEL.compile(text).getAst()));
        } catch (CelValidationException e) {
            throw new IllegalArgumentException(name + ": " + what + " does not compile: " + e.getMessage(), e);
        } catch (dev.cel.common.CelException e) {
            throw new IllegalArgumentException(name + ": " + what + " cannot be planned: " + e.getMessage(), e);
        }
    }

    /** @param namespaceObject the Namespace of a namespaced request, null otherwise */
    Evaluation evaluate(AdmissionRequest request, JsonNode namespaceObject) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("request", request.cel());
        vars.put("object", CelValues.of(request.object()));
        vars.put("oldObject", CelValues.of(request.oldObject()));
        vars.put("params", CelValues.of(null));
        vars.put("namespaceObject", CelValues.of(request.clusterScoped() ? null : namespaceObject));
        Map<String, Object> computed = new LinkedHashMap<>();
        vars.put("variables", computed);

        String conditionError = null;
        for (Expression condition : matchConditions) {
            try {
                if (!bool(condition, vars)) {
                    return new Evaluation.Skipped(condition.name());
                }
            } catch (CelEvaluationException | IllegalStateException e) {
                conditionError = "matchCondition " + condition.name() + ": " + e.getMessage();
            }
        }
        if (conditionError != null) {
            return failure(conditionError);
        }
        for (Expression variable : variables) {
            try {
                computed.put(variable.name(), variable.program().eval(vars));
            } catch (CelEvaluationException e) {
                return failure("variable " + variable.name() + ": " + e.getMessage());
            }
        }
        for (Validation validation : validations) {
            boolean holds;
            try {
                holds = bool(validation.check(), vars);
            } catch (CelEvaluationException | IllegalStateException e) {
                return failure("expression " + validation.check().text() + ": " + e.getMessage());
            }
            if (!holds) {
                return new Evaluation.Failed(message(validation, vars), false);
            }
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        for (Expression annotation : auditAnnotations) {
            try {
                Object value = annotation.program().eval(vars);
                if (!CelValues.isNull(value) && !(value instanceof String)) {
                    return failure("auditAnnotation " + annotation.name() + " is not a string: " + value);
                }
                if (value instanceof String text && !text.isEmpty()) {
                    annotations.put(name + "/" + annotation.name(), text);
                }
            } catch (CelEvaluationException e) {
                return failure("auditAnnotation " + annotation.name() + ": " + e.getMessage());
            }
        }
        return new Evaluation.Passed(annotations);
    }

    private Evaluation failure(String why) {
        return failClosed ? new Evaluation.Failed(name + ": " + why, true) : new Evaluation.Passed(Map.of());
    }

    private static boolean bool(Expression expression, Map<String, Object> vars) throws CelEvaluationException {
        Object value = expression.program().eval(vars);
        if (!(value instanceof Boolean b)) {
            throw new IllegalStateException(expression.name() + " is not a bool: " + value);
        }
        return b;
    }

    private static String message(Validation validation, Map<String, Object> vars) {
        if (validation.messageExpression() != null) {
            try {
                Object value = validation.messageExpression().program().eval(vars);
                if (value instanceof String text && !text.isBlank() && !text.contains("\n")) {
                    return text;
                }
            } catch (CelEvaluationException e) {
                // as the API server: fall back to the message
            }
        }
        return validation.message() != null ? validation.message() : "failed expression: " + validation.check().text();
    }
}
