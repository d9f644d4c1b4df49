package dev.drawbridge.config;

import dev.drawbridge.yaml.MappingReader;
import dev.drawbridge.yaml.Problems;
import dev.drawbridge.yaml.YamlNode;
import dev.drawbridge.yaml.YamlProblem;
import dev.drawbridge.yaml.YamlTrees;
import dev.drawbridge.yaml.YamlValidationException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code leases:} for serve with several replicas: defaults, the pod's identity, and bad values named. */
class LeasesConfigTest {

    private static final String BASE = """
            git: {url: "https://git.example.com/deploy.git"}
            environments:
              - {name: dev, branch: env/dev, path: overlays/dev, cluster: {kubeconfig: dev.kubeconfig}}
              - {name: production, branch: env/production, path: overlays/production}
            """;

    private static DrawbridgeConfig load(String yaml) throws YamlValidationException {
        return new ConfigLoader().load("drawbridge.yaml", yaml.getBytes(StandardCharsets.UTF_8), Path.of("/etc/drawbridge"));
    }

    private static List<String> problems(String yaml) {
        YamlValidationException e = catchThrowableOfType(YamlValidationException.class, () -> load(yaml));
        assertThat(e).as("expected the configuration to be refused").isNotNull();
        return e.problems().stream().map(YamlProblem::toString).toList();
    }

    /** Reads {@code leases:} of {@code yaml} with the given environment variables. */
    private static LeasesConfig read(String yaml, Map<String, String> variables) throws YamlValidationException {
        Problems problems = new Problems("drawbridge.yaml");
        YamlNode root = YamlTrees.parse(yaml.getBytes(StandardCharsets.UTF_8), problems);
        MappingReader top = MappingReader.root(root, problems);
        LeasesConfig leases = new LeasesReader(top.mapping("leases"), new LocalFiles(Path.of("/etc/drawbridge")),
                List.of(), variables::get).read();
        problems.throwIfAny();
        return leases;
    }

    @Test
    void withoutLeasesServeRunsAloneAndHoldsEveryEnvironment() throws Exception {
        assertThat(load(BASE).leases()).isNull();
    }

    @Test
    void defaultsAreFifteenSecondsRenewedEveryFiveOnTheFirstEnvironmentsClusterOutsideAPod() throws Exception {
        LeasesConfig leases = load(BASE + "leases: {namespace: drawbridge-system}\n").leases();
        assertThat(leases.duration()).isEqualTo(Duration.ofSeconds(15));
        assertThat(leases.renew()).isEqualTo(Duration.ofSeconds(5));
        assertThat(leases.namespace()).isEqualTo("drawbridge-system");
        assertThat(leases.identity()).isNotBlank();
        if (System.getenv("KUBERNETES_SERVICE_HOST") == null) {
            assertThat(leases.cluster().kubeconfig()).isEqualTo(Path.of("/etc/drawbridge/dev.kubeconfig"));
        }
    }

    @Test
    void theIdentityIsReadFromThePodsVariables() throws Exception {
        assertThat(read("leases: {identity: \"${POD_NAME}\", namespace: ops}\n",
                Map.of("POD_NAME", "drawbridge-7d9f-x2k4p")).identity()).isEqualTo("drawbridge-7d9f-x2k4p");
        assertThat(read("leases: {}\n", Map.of("POD_NAMESPACE", "platform", "HOSTNAME", "node-1")))
                .satisfies(l -> {
                    assertThat(l.namespace()).isEqualTo("platform");
                    assertThat(l.identity()).isEqualTo("node-1");
                });
    }

    @Test
    void anUnsetVariableARenewNotShorterThanTheDurationAndABadNamespaceAreRefused() {
        YamlValidationException e = catchThrowableOfType(YamlValidationException.class,
                () -> read("leases:\n  identity: ${POD_NAME}\n", Map.of()));
        assertThat(e.problems().get(0).toString()).isEqualTo("drawbridge.yaml:2: leases.identity: the environment variable "
                + "POD_NAME is not set (in a pod, set it from the downward API: fieldRef metadata.name)");
        assertThat(problems(BASE + "leases: {duration: 10s, renew: 10s, namespace: Ops}\n")).containsExactly(
                "drawbridge.yaml:5: leases.namespace: invalid namespace \"Ops\" (expected lower-case letters, digits and "
                        + "'-', at most 63, e.g. drawbridge-system)",
                "drawbridge.yaml:5: leases.renew: must be shorter than leases.duration (10s)");
        assertThat(problems(BASE + "leases: {durations: 10s}\n")).singleElement().asString()
                .contains("leases.durations: unknown key (did you mean \"duration\"?)");
    }

    @Test
    void theConfigurationOfDeployLoadsInAPod() throws Exception {
        Path deploy = dev.drawbridge.testing.GitFixtures.projectRoot().resolve("deploy/config.yaml");
        LeasesConfig leases = read(Files.readString(deploy), Map.of("POD_NAME", "drawbridge-abc", "POD_NAMESPACE",
                "drawbridge-system", "KUBERNETES_SERVICE_HOST", "10.0.0.1"));
        assertThat(leases.identity()).isEqualTo("drawbridge-abc");
        assertThat(leases.cluster()).isEqualTo(ClusterConfig.DEFAULT);
    }
}
