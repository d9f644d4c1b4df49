package dev.drawbridge.apply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.apply.testing.ApplyingMockServer;
import dev.drawbridge.apply.testing.MutableClock;
import dev.drawbridge.apply.testing.TestObjects;
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
                        "ValidatingAdmissionPolicy/drawbridge-only-actor",
                        "ValidatingAdmissionPolicyBinding/drawbridge-only-actor");
        ObjectNode deployment = find("Deployment");
        assertThat(deployment.at("/spec/template/spec/containers/0/args").toString())
                .isEqualTo("[\"serve\",\"--config\",\"/etc/drawbridge/config.yaml\"]");
        assertThat(deployment.at("/spec/template/spec/serviceAccountName").asText()).isEqualTo("drawbridge");
        String policy = find("ValidatingAdmissionPolicy").toString();
        assertThat(policy).contains("system:serviceaccount:drawbridge-system:drawbridge", "drawbridge:break-glass",
                "drawbridge.dev/managed", "CREATE", "UPDATE", "DELETE");
        assertThat(find("CustomResourceDefinition").at("/spec/versions/0/name").asText()).isEqualTo("v1alpha1");
    }

    @Test
    void isAppliedByDrawbridgeItselfAndThenUnchanged() throws Exception {
        try (ApplyingMockServer server = ApplyingMockServer.start()) {
            MutableClock clock = MutableClock.atEpoch();
            KubernetesApplier applier = new KubernetesApplier(server.client(), KubernetesApplier.Settings.defaults()
                    .withInventoryNamespace("drawbridge-system"), clock, clock::advance);

            ChangeSet first = applier.apply(ApplyRequest.of("platform", rendered));
            assertThat(first.count(Action.CREATED)).isEqualTo(rendered.size());
            assertThat(first.find("ValidatingAdmissionPolicy/drawbridge-only-actor")).isPresent();

            server.clearRequests();
            ChangeSet second = applier.apply(ApplyRequest.of("platform", rendered));
            assertThat(second.count(Action.UNCHANGED)).isEqualTo(rendered.size());
            assertThat(server.writes()).isEmpty();
        }
    }

    private static ObjectNode find(String kind) {
        return rendered.stream().filter(o -> kind.equals(o.path("kind").asText())).findFirst().orElseThrow();
    }
}
