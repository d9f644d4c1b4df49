package dev.drawbridge.apply.admission;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.drawbridge.apply.admission.K8s.APP_TEAM;
import static dev.drawbridge.apply.admission.K8s.deployment;
import static dev.drawbridge.apply.admission.K8s.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The harness itself applies Kubernetes' matching and evaluation rules, so a policy test can fail. */
class AdmissionHarnessTest {

    static AdmissionPolicies policy(String spec, String validationActions) {
        String yaml = """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: p}
                spec:
                %s
                ---
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: p}
                spec: {policyName: p, validationActions: %s}
                """.formatted(spec.indent(2).stripTrailing(), validationActions);
        return AdmissionPolicies.of(dev.drawbridge.apply.testing.TestObjects.parse(yaml))
                .withNamespace("shop", Map.of("team", "shop"), "Active")
                .withNamespace("other", Map.of(), "Active");
    }

    static final String ALL_PODS = """
            matchConstraints:
              resourceRules: [{apiGroups: [""], apiVersions: ["v1"], operations: ["*"], resources: ["pods"]}]
            """;

    @Test
    void aFalseValidationDeniesWithItsMessageExpressionAndOnlyWhenTheBindingSaysDeny() {
        String spec = ALL_PODS + """
                validations:
                  - expression: "request.userInfo.username == 'ok'"
                    messageExpression: "'no ' + request.name"
                """;
        AdmissionPolicies.Review review = policy(spec, "[Deny]").review(APP_TEAM.create(pod("shop", "api-1")));
        assertThat(review.deniedByRule()).isTrue();
        assertThat(review.denials()).containsExactly("no api-1");
        assertThat(policy(spec, "[Audit]").review(APP_TEAM.create(pod("shop", "api-1"))).allowed()).isTrue();
        assertThat(policy(spec, "[Deny]").review(AdmissionRequest.as("ok").create(pod("shop", "api-1"))).allowed()).isTrue();
    }

    @Test
    void resourcesStarMatchesNoSubresourceAndTheNamespaceSelectorReadsTheNamespacesLabels() {
        AdmissionPolicies p = policy("""
                matchConstraints:
                  resourceRules: [{apiGroups: ["*"], apiVersions: ["*"], operations: ["*"], resources: ["*"], scope: Namespaced}]
                  namespaceSelector: {matchExpressions: [{key: team, operator: In, values: [shop]}]}
                validations: [{expression: "false", message: denied}]
                """, "[Deny]");
        assertThat(p.review(APP_TEAM.create(deployment("shop", "api"))).denials()).containsExactly("denied");
        assertThat(p.review(APP_TEAM.update(deployment("shop", "api"), deployment("shop", "api")).onSubresource("scale")).allowed()).isTrue();
        assertThat(p.review(APP_TEAM.create(deployment("other", "api"))).allowed()).isTrue();
        assertThat(p.review(APP_TEAM.create(K8s.clusterRole("r"))).allowed()).as("scope Namespaced").isTrue();
    }

    @Test
    void aFalseMatchConditionSkipsThePolicyAndAFailingExpressionFollowsTheFailurePolicy() {
        String conditions = ALL_PODS + """
                matchConditions: [{name: only-api, expression: "request.name.startsWith('api')"}]
                validations: [{expression: "object.spec.missing == 1"}]
                """;
        AdmissionPolicies.Review failed = policy(conditions, "[Deny]").review(APP_TEAM.create(pod("shop", "api-1")));
        assertThat(failed.allowed()).isFalse();
        assertThat(failed.errors()).singleElement().asString().contains("missing");
        assertThat(policy(conditions, "[Deny]").review(APP_TEAM.create(pod("shop", "web-1"))).evaluated()).isEmpty();
        assertThat(policy("failurePolicy: Ignore\n" + conditions, "[Deny]").review(APP_TEAM.create(pod("shop", "api-1"))).allowed()).isTrue();
    }

    @Test
    void variablesAreComposedAndObjectIsNullOnDelete() {
        AdmissionPolicies p = policy(ALL_PODS + """
                variables:
                  - {name: gone, expression: "object == null"}
                  - {name: both, expression: "variables.gone && oldObject != null"}
                validations: [{expression: "!variables.both", message: "no deleting"}]
                """, "[Deny]");
        assertThat(p.review(APP_TEAM.delete(pod("shop", "api-1"))).denials()).containsExactly("no deleting");
        assertThat(p.review(APP_TEAM.create(pod("shop", "api-1"))).allowed()).isTrue();
    }

    @Test
    void anExpressionThatDoesNotCompileOrAFunctionOnlyKubernetesHasFailsTheTestLoudly() {
        assertThatThrownBy(() -> policy(ALL_PODS + "validations: [{expression: \"request.name ==\"}]", "[Deny]"))
                .hasMessageContaining("p: validation does not compile");
        assertThatThrownBy(() -> policy(ALL_PODS + "validations: [{expression: \"url('https://x').getHost() == 'x'\"}]", "[Deny]"))
                .hasMessageContaining("does not compile");
        assertThatThrownBy(() -> policy(ALL_PODS + "validations: [{expression: \"true ? 'a' : null\"}]", "[Deny]"))
                .as("cel's checker refuses a string and null in one conditional").hasMessageContaining("does not compile");
    }
}
