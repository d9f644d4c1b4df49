package dev.drawbridge.config.spring;

import dev.drawbridge.config.ConfigLoader;
import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.values.EnvironmentName;
import dev.drawbridge.yaml.Property;
import dev.drawbridge.yaml.YamlProblem;
import dev.drawbridge.yaml.YamlValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The {@code drawbridge.*} properties from Spring's sources: command line, environment variables (a map
 * in place of the process environment, read as Spring reads {@code systemEnvironment}),
 * {@code SPRING_APPLICATION_JSON} and {@code application.yaml}; then validated like the file.
 */
class SpringPropertiesTest {

    @TempDir
    Path dir;

    static List<String> lines(List<Property> properties) {
        return properties.stream().map(p -> p.path() + "=" + p.value() + " @ " + p.origin().describe()).toList();
    }

    static List<String> problems(Path file, List<Property> properties) {
        YamlValidationException e = catchThrowableOfType(YamlValidationException.class,
                () -> new ConfigLoader().load(file, properties));
        assertThat(e).as("expected the configuration to be refused").isNotNull();
        return e.problems().stream().map(YamlProblem::toString).toList();
    }

    @Test
    void readsTheCommandLinesProperties() throws Exception {
        List<Property> properties = SpringProperties.read(List.of("--drawbridge.git.url=https://git.example.com/deploy.git",
                "--drawbridge.environments[0].promote-from=acceptance", "--spring.main.banner-mode=off"), Map.of());

        assertThat(lines(properties)).containsExactly(
                "git.url=https://git.example.com/deploy.git @ command line",
                "environments[0].promote-from=acceptance @ command line");
    }

    @Test
    void readsEnvironmentVariablesWithSpringsRelaxedNames() throws Exception {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("DRAWBRIDGE_GIT_URL", "https://git.example.com/deploy.git");
        variables.put("DRAWBRIDGE_GIT_POLLINTERVAL", "5m");
        variables.put("DRAWBRIDGE_ENVIRONMENTS_0_NAME", "production");
        variables.put("DRAWBRIDGE_ENVIRONMENTS_0_BRANCH", "env/production");
        variables.put("DRAWBRIDGE_ENVIRONMENTS_0_PATH", "overlays/production");
        variables.put("DRAWBRIDGE_ENVIRONMENTS_0_CLUSTER_CONTEXT", "prod");
        variables.put("DRAWBRIDGE_ENVIRONMENTS_1_NAME", "acceptance");
        variables.put("DRAWBRIDGE_ENVIRONMENTS_1_BRANCH", "env/acceptance");
        variables.put("DRAWBRIDGE_ENVIRONMENTS_1_PATH", "overlays/acceptance");
        variables.put("DRAWBRIDGE_ENVIRONMENTS_0_PROMOTEFROM", "acceptance");
        variables.put("HOME", "/home/drawbridge");

        List<Property> properties = SpringProperties.read(List.of(), variables);
        assertThat(lines(properties)).contains(
                "environments[0].promotefrom=acceptance @ environment variable DRAWBRIDGE_ENVIRONMENTS_0_PROMOTEFROM",
                "git.pollinterval=5m @ environment variable DRAWBRIDGE_GIT_POLLINTERVAL").hasSize(10);

        DrawbridgeConfig config = new ConfigLoader().load(null, properties);
        assertThat(config.git().url()).isEqualTo("https://git.example.com/deploy.git");
        assertThat(config.git().pollInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.environmentNames()).map(EnvironmentName::value).containsExactly("production", "acceptance");
        assertThat(config.environment(EnvironmentName.of("production")).orElseThrow().promoteFrom().value()).isEqualTo("acceptance");
        assertThat(config.environment(EnvironmentName.of("production")).orElseThrow().cluster().context()).isEqualTo("prod");
    }

    @Test
    void skipsTheServiceLinksKubernetesPutsIntoEveryPod() throws Exception {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("DRAWBRIDGE_SERVICE_HOST", "10.96.0.12");
        variables.put("DRAWBRIDGE_SERVICE_PORT", "80");
        variables.put("DRAWBRIDGE_SERVICE_PORT_HTTP", "80");
        variables.put("DRAWBRIDGE_PORT", "tcp://10.96.0.12:80");
        variables.put("DRAWBRIDGE_PORT_80_TCP_ADDR", "10.96.0.12");
        variables.put("DRAWBRIDGE_GIT_URL", "https://git.example.com/deploy.git");

        assertThat(lines(SpringProperties.read(List.of(), variables)))
                .containsExactly("git.url=https://git.example.com/deploy.git @ environment variable DRAWBRIDGE_GIT_URL");
    }

    @Test
    void readsApplicationYamlAndSpringApplicationJsonWithTheirPlaces() throws Exception {
        Path yaml = dir.resolve("application.yaml");
        Files.writeString(yaml, """
                server:
                  shutdown: graceful
                drawbridge:
                  git:
                    url: https://git.example.com/deploy.git
                  environments:
                    - name: dev
                      intervall: 5m
                """);
        Map<String, Object> variables = Map.of("SPRING_APPLICATION_JSON",
                "{\"drawbridge\": {\"dashboard-url\": \"https://drawbridge.example.com\"}}");

        List<Property> properties = SpringProperties.read(List.of("--spring.config.location=" + yaml), variables);

        assertThat(lines(properties)).containsExactly(
                "dashboard-url=https://drawbridge.example.com @ SPRING_APPLICATION_JSON",
                "git.url=https://git.example.com/deploy.git @ " + yaml + ":5",
                "environments[0].name=dev @ " + yaml + ":7",
                "environments[0].intervall=5m @ " + yaml + ":8");
        assertThat(problems(null, properties)).containsExactly(
                yaml + ":7: drawbridge.environments[0].branch: is required",
                yaml + ":7: drawbridge.environments[0].path: is required",
                yaml + ":8: drawbridge.environments[0].intervall: unknown key (did you mean \"interval\"?)");
    }

    @Test
    void theCommandLineWinsOverEnvironmentVariablesWhichWinOverApplicationYaml() throws Exception {
        Path yaml = dir.resolve("application.yaml");
        Files.writeString(yaml, "drawbridge:\n  git:\n    url: https://yaml.example.com/deploy.git\n    poll-interval: 1m\n"
                + "    username: yaml\n");
        Map<String, Object> variables = Map.of("DRAWBRIDGE_GIT_POLLINTERVAL", "2m", "DRAWBRIDGE_GIT_USERNAME", "env");
        List<Property> properties = SpringProperties.read(List.of("--spring.config.location=" + yaml,
                "--drawbridge.git.poll-interval=3m"), variables);

        Path file = dir.resolve("drawbridge.yaml");
        Files.writeString(file, "git: {url: https://file.example.com/deploy.git, username: file}\n"
                + "environments: [{name: dev, branch: env/dev, path: dev}]\n");
        DrawbridgeConfig config = new ConfigLoader().load(file, properties);

        assertThat(config.git().pollInterval()).isEqualTo(Duration.ofMinutes(3));
        assertThat(config.git().username()).isEqualTo("env");
        assertThat(config.git().url()).as("every property source overrides the file").isEqualTo("https://yaml.example.com/deploy.git");
    }

    @Test
    void anUnknownEnvironmentVariableKeyOrABadValueIsNamed() throws Exception {
        Path file = dir.resolve("drawbridge.yaml");
        Files.writeString(file, "git: {url: https://git.example.com/deploy.git}\n"
                + "environments: [{name: dev, branch: env/dev, path: dev}, {name: prod, branch: env/prod, path: prod}]\n");
        Map<String, Object> variables = Map.of("DRAWBRIDGE_ENVIRONMENTS_1_INTERVALL", "5m",
                "DRAWBRIDGE_ENVIRONMENTS_0_INTERVAL", "soon");

        assertThat(problems(file, SpringProperties.read(List.of(), variables))).containsExactlyInAnyOrder(
                "environment variable DRAWBRIDGE_ENVIRONMENTS_1_INTERVALL: drawbridge.environments[1].intervall: unknown key"
                        + " (did you mean \"interval\"?)",
                "environment variable DRAWBRIDGE_ENVIRONMENTS_0_INTERVAL: drawbridge.environments[0].interval: "
                        + "invalid duration \"soon\" (expected e.g. 30s, 15m, 12h, 7d)");
    }

    @Test
    void resolvesPlaceholdersAsSpringDoes() throws Exception {
        List<Property> properties = SpringProperties.read(List.of("--drawbridge.git.password-file=${SECRETS}/git-token"),
                Map.of("SECRETS", "/var/run/secrets"));

        assertThat(properties.get(0).value()).isEqualTo("/var/run/secrets/git-token");
        assertThat(properties.get(0).origin().sensitive()).isTrue();
    }

    @Test
    void aMissingSpringConfigLocationIsOneClearError() {
        assertThatThrownBy(() -> SpringProperties.read(List.of("--spring.config.location=" + dir.resolve("nope.yaml")), Map.of()))
                .isInstanceOf(SpringProperties.UnreadableException.class)
                .hasMessageContaining("nope.yaml");
    }
}
