package dev.drawbridge.apply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.apply.testing.ApplyingMockServer;
import dev.drawbridge.apply.testing.MutableClock;
import dev.drawbridge.apply.testing.TestObjects;
import dev.drawbridge.values.EnvironmentName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The Kustomize base in {@code deploy/} renders offline and is what Drawbridge itself can apply. */
class DeployBaseTest {

    static List<ObjectNode> rendered;

    @BeforeAll
    static void render() throws Exception {
        Path deploy = Path.of("..", "deploy").toAbsolutePath().normalize();
        assumeTrue(Files.isDirectory(deploy), "no deploy/ next to the module");
        String kubectl = Files.isExecutable(Path.of("/usr/bin/kubectl")) ? "/usr/bin/kubectl" : null;
        assumeTrue(kubectl != null, "kubectl is not installed");
        Process process = new ProcessBuilder(kubectl, "kustomize", deploy.toString())
                .redirectError(ProcessBuilder.Redirect.to(new File("/dev/null"))).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        rendered = TestObjects.parse(out);
    }

    @Test
    void rendersEveryPartOfTheInstallation() {
        assertThat(rendered).extracting(o -> o.path("kind").asText() + "/" + o.at("/metadata/name").asText())
                .contains("Namespace/drawbridge-system", "ServiceAccount/drawbridge", "ClusterRole/drawbridge",
                        "ClusterRoleBinding/drawbridge", "Deployment/drawbridge",
                        "CustomResourceDefinition/decisionrecords.drawbridge.dev",
                        "Role/drawbridge-state", "RoleBinding/drawbridge-state",
                        "ValidatingAdmissionPolicy/drawbridge-only-actor",
                        "ValidatingAdmissionPolicyBinding/drawbridge-only-actor",
                        "ValidatingAdmissionPolicy/drawbridge-only-actor-namespaces",
                        "ValidatingAdmissionPolicyBinding/drawbridge-only-actor-namespaces",
                        "ValidatingAdmissionPolicy/drawbridge-own-state",
                        "ValidatingAdmissionPolicyBinding/drawbridge-own-state");
        ObjectNode deployment = find("Deployment");
        assertThat(deployment.at("/spec/template/spec/containers/0/args").toString())
                .isEqualTo("[\"serve\",\"--config\",\"/etc/drawbridge/config.yaml\",\"--state-dir\",\"/var/lib/drawbridge/state\"]");
        assertThat(deployment.at("/spec/template/spec/serviceAccountName").asText()).isEqualTo("drawbridge");
        // what the admission policies allow and deny: apply.admission.DeployAdmissionPolicyTest evaluates their CEL
        assertThat(rendered).filteredOn(o -> o.path("kind").asText().startsWith("ValidatingAdmissionPolicy"))
                .allSatisfy(o -> assertThat(o.at("/metadata/namespace").isMissingNode()).as("cluster-scoped").isTrue());
        ObjectNode leases = rendered.stream().filter(o -> "Role".equals(o.path("kind").asText())).findFirst().orElseThrow();
        assertThat(leases.at("/metadata/namespace").asText()).isEqualTo("drawbridge-system");
        assertThat(leases.at("/rules/0/apiGroups/0").asText()).isEqualTo("coordination.k8s.io");
        assertThat(leases.at("/rules/0/verbs").toString())
                .isEqualTo("[\"get\",\"list\",\"watch\",\"create\",\"update\",\"patch\"]");
        assertThat(find("CustomResourceDefinition").at("/spec/versions/0/name").asText()).isEqualTo("v1alpha1");
    }

    @Test
    void installsTheAdmissionPoliciesExactlyAsWrittenInTheFilesTheTestsEvaluate() throws Exception {
        // apply.admission.DeployAdmissionPolicyTest evaluates deploy/admission-policy*.yaml; Kustomize must not change them
        Path deploy = Path.of("..", "deploy").toAbsolutePath().normalize();
        List<ObjectNode> written = new java.util.ArrayList<>();
        for (String file : List.of("admission-policy.yaml", "admission-policy-state.yaml")) {
            written.addAll(TestObjects.parse(Files.readString(deploy.resolve(file))));
        }
        assertThat(written).hasSize(6);
        for (ObjectNode object : written) {
            ObjectNode installed = rendered.stream().filter(o -> o.path("kind").equals(object.path("kind"))
                    && o.at("/metadata/name").equals(object.at("/metadata/name"))).findFirst().orElseThrow();
            assertThat(installed.path("spec")).as(object.at("/metadata/name").asText()).isEqualTo(object.path("spec"));
        }
    }

    @Test
    void isAppliedByDrawbridgeItselfAndThenUnchanged() throws Exception {
        try (ApplyingMockServer server = ApplyingMockServer.start()) {
            MutableClock clock = MutableClock.atEpoch();
            KubernetesApplier applier = new KubernetesApplier(server.client(), KubernetesApplier.Settings.defaults()
                    .withInventoryNamespace("drawbridge-system"), clock, clock::advance);

            ChangeSet first = applier.apply(ApplyRequest.of(EnvironmentName.of("platform"), rendered));
            assertThat(first.count(Action.CREATED)).isEqualTo(rendered.size());
            assertThat(first.find("ValidatingAdmissionPolicy/drawbridge-only-actor")).isPresent();

            server.clearRequests();
            ChangeSet second = applier.apply(ApplyRequest.of(EnvironmentName.of("platform"), rendered));
            assertThat(second.count(Action.UNCHANGED)).isEqualTo(rendered.size());
            assertThat(server.writes()).isEmpty();
        }
    }

    private static ObjectNode find(String kind) {
        return rendered.stream().filter(o -> kind.equals(o.path("kind").asText())).findFirst().orElseThrow();
    }
}
