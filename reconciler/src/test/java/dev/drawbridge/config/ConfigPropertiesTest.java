package dev.drawbridge.config;

import dev.drawbridge.values.EnvironmentName;
import dev.drawbridge.yaml.Property;
import dev.drawbridge.yaml.PropertyOrigin;
import dev.drawbridge.yaml.YamlProblem;
import dev.drawbridge.yaml.YamlValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The configuration's keys as properties ({@code drawbridge.*}), set over the file's keys and validated
 * like the file. The properties here are plain values as {@code config.spring} hands them on; where they
 * come from in Spring is {@code SpringPropertiesTest}.
 */
class ConfigPropertiesTest {

    static final PropertyOrigin COMMAND_LINE = new PropertyOrigin("command line", 0, "drawbridge.", false);
    static final String FILE = """
            git:
              url: https://git.example.com/deploy.git
              poll-interval: 2m
            environments:
              - name: dev
                branch: env/dev
                path: overlays/dev
                interval: 1m
            """;

    @TempDir
    Path dir;

    /** {@code environments[0].promote-from=acceptance} as a property of {@code origin}. */
    static Property property(String assignment, PropertyOrigin origin) {
        int eq = assignment.indexOf('=');
        List<Property.Key> keys = new ArrayList<>();
        Matcher m = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]").matcher(assignment.substring(0, eq));
        while (m.find()) {
            keys.add(m.group(1) != null ? Property.Key.name(m.group(1)) : Property.Key.index(Integer.parseInt(m.group(2))));
        }
        return new Property(keys, assignment.substring(eq + 1), origin);
    }

    static List<Property> commandLine(String... assignments) {
        return List.of(assignments).stream().map(a -> property(a, COMMAND_LINE)).toList();
    }

    static PropertyOrigin variable(String name) {
        return new PropertyOrigin("environment variable " + name, 0, "drawbridge.", name.matches(".*(PASSWORD|TOKEN|SECRET).*"));
    }

    Path file(String content) throws Exception {
        Path file = dir.resolve("drawbridge.yaml");
        Files.writeString(file, content);
        return file;
    }

    static List<String> problems(Path file, List<Property> properties) {
        YamlValidationException e = catchThrowableOfType(YamlValidationException.class,
                () -> new ConfigLoader().load(file, properties));
        assertThat(e).as("expected the configuration to be refused").isNotNull();
        return e.problems().stream().map(YamlProblem::toString).toList();
    }

    @Test
    void propertiesAloneMakeACompleteConfiguration() throws Exception {
        DrawbridgeConfig config = new ConfigLoader().load(null, commandLine(
                "git.url=https://git.example.com/deploy.git",
                "environments[0].name=dev", "environments[0].branch=env/dev", "environments[0].path=overlays/dev",
                "environments[1].name=production", "environments[1].branch=env/production",
                "environments[1].path=overlays/production", "environments[1].promote-from=dev",
                "registries[0].host=harbor.example.com", "registries[0].type=harbor"));

        assertThat(config.source()).isEqualTo("drawbridge.* properties");
        assertThat(config.git().url()).isEqualTo("https://git.example.com/deploy.git");
        assertThat(config.environmentNames()).map(EnvironmentName::value).containsExactly("dev", "production");
        assertThat(config.environment(EnvironmentName.of("production")).orElseThrow().promoteFrom().value()).isEqualTo("dev");
        assertThat(config.registries()).hasSize(1);
    }

    @Test
    void propertiesOverrideAndAddToTheKeysOfTheFile() throws Exception {
        DrawbridgeConfig config = new ConfigLoader().load(file(FILE), commandLine(
                "git.poll-interval=5m", "environments[0].interval=30s", "environments[1].name=production",
                "environments[1].branch=env/production", "environments[1].path=overlays/production",
                "dashboard-url=https://drawbridge.example.com"));

        assertThat(config.source()).isEqualTo(dir.resolve("drawbridge.yaml") + " and drawbridge.* properties");
        assertThat(config.git().url()).as("kept from the file").isEqualTo("https://git.example.com/deploy.git");
        assertThat(config.git().pollInterval()).isEqualTo(Duration.ofMinutes(5));
        EnvironmentConfig dev = config.environment(EnvironmentName.of("dev")).orElseThrow();
        assertThat(dev.interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(dev.branch()).as("kept from the file").isEqualTo("env/dev");
        assertThat(config.environmentNames()).map(EnvironmentName::value).containsExactly("dev", "production");
        assertThat(config.dashboardUrl().toString()).isEqualTo("https://drawbridge.example.com");
    }

    @Test
    void theFirstPropertyOfANameWinsWhateverItsSpelling() throws Exception {
        List<Property> properties = new ArrayList<>(commandLine("git.poll-interval=5m"));
        properties.add(property("git.pollinterval=7m", variable("DRAWBRIDGE_GIT_POLLINTERVAL")));

        assertThat(new ConfigLoader().load(file(FILE), properties).git().pollInterval()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void relaxedNamesMatchTheKebabCaseKeys() throws Exception {
        DrawbridgeConfig config = new ConfigLoader().load(file(FILE + """
                  - name: production
                    branch: env/production
                    path: overlays/production
                """), List.of(
                property("environments[1].promotefrom=dev", variable("DRAWBRIDGE_ENVIRONMENTS_1_PROMOTEFROM")),
                property("git.pollinterval=10m", variable("DRAWBRIDGE_GIT_POLLINTERVAL")),
                property("environments[1].allowempty=true", variable("DRAWBRIDGE_ENVIRONMENTS_1_ALLOWEMPTY"))));

        assertThat(config.environment(EnvironmentName.of("production")).orElseThrow().promoteFrom().value()).isEqualTo("dev");
        assertThat(config.environment(EnvironmentName.of("production")).orElseThrow().allowEmpty()).isTrue();
        assertThat(config.git().pollInterval()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void anUnknownPropertyIsAnErrorNamingItAndWhereItCameFrom() throws Exception {
        assertThat(problems(file(FILE), commandLine("environments[0].intervall=5m"))).containsExactly(
                "command line: drawbridge.environments[0].intervall: unknown key (did you mean \"interval\"?)");
        assertThat(problems(file(FILE), List.of(property("git.password.file=/run/token",
                variable("DRAWBRIDGE_GIT_PASSWORD_FILE"))))).containsExactly(
                "environment variable DRAWBRIDGE_GIT_PASSWORD_FILE: drawbridge.git.password: unknown key (did you mean "
                        + "\"password-file\"? In an environment variable, leave out its dashes: PASSWORDFILE)");
    }

    @Test
    void aBadValueIsAnErrorNamingThePropertysPath() throws Exception {
        assertThat(problems(file(FILE), List.of(property("git.pollinterval=5 minutes", variable("DRAWBRIDGE_GIT_POLLINTERVAL")))))
                .containsExactly("environment variable DRAWBRIDGE_GIT_POLLINTERVAL: drawbridge.git.poll-interval: "
                        + "invalid duration \"5 minutes\" (expected e.g. 30s, 15m, 12h, 7d)");
    }

    @Test
    void aMissingRequiredKeyIsNamedWhereItsItemCameFrom() {
        assertThat(problems(null, commandLine("git.url=https://git.example.com/deploy.git", "environments[0].name=dev",
                "environments[0].path=overlays/dev"))).containsExactly(
                "command line: drawbridge.environments[0].branch: is required");
        assertThat(problems(null, commandLine("environments[0].name=dev", "environments[0].branch=env/dev",
                "environments[0].path=overlays/dev"))).containsExactly(
                "drawbridge.* properties: drawbridge.git: is required (with the url of the repository of the environment branches)");
    }

    @Test
    void theFilesProblemsComeFirstWithTheirLinesThenThePropertiesOnes() throws Exception {
        assertThat(problems(file(FILE + "bogus: 1\n"), commandLine("environments[0].prune=maybe"))).containsExactly(
                ("%s:9: bogus: unknown key (expected one of: git, policies, registries, forge, dashboard-url, cache, render, "
                        + "inspect, environments, notifications, leases, drift)")
                        .formatted(dir.resolve("drawbridge.yaml")),
                "command line: drawbridge.environments[0].prune: expected true or false, got \"maybe\"");
    }

    @Test
    void listItemsAreNumberedWithoutGaps() throws Exception {
        assertThat(problems(file(FILE), commandLine("environments[2].name=production"))).containsExactly(
                "command line: drawbridge.environments[1]: is missing, but an item after it is set (list items are numbered from 0, without gaps)");
    }

    @Test
    void aValueAndKeysBelowItConflict() throws Exception {
        assertThat(problems(file(FILE), commandLine("git=x", "git.url=https://git.example.com/deploy.git"))).containsExactly(
                "command line: drawbridge.git.url: conflicts with drawbridge.git set to a single value (command line)",
                "command line: drawbridge.git: expected a mapping of keys, got a value",
                "command line: drawbridge.git.url: is required");
    }

    @Test
    void anEmptyValueOfLowerPrecedenceLeavesTheKeysBelowItBe() throws Exception {
        List<Property> properties = new ArrayList<>(commandLine("forge.type=git-notes"));
        properties.add(property("forge=", new PropertyOrigin("application.yaml", 3, "drawbridge.", false)));

        assertThat(new ConfigLoader().load(file(FILE), properties).forge().type()).isEqualTo(ForgeConfig.Type.GIT_NOTES);
    }

    @Test
    void aListIsCommaSeparatedInOneProperty() throws Exception {
        DrawbridgeConfig config = new ConfigLoader().load(file(FILE), commandLine(
                "environments[0].platforms=linux/amd64, linux/arm64", "render.command=kubectl,kustomize"));

        assertThat(config.environment(EnvironmentName.of("dev")).orElseThrow().platforms()).containsExactly("linux/amd64", "linux/arm64");
        assertThat(config.render().command()).containsExactly("kubectl", "kustomize");
    }

    @Test
    void anEmptyValueLeavesTheKeyOut() throws Exception {
        DrawbridgeConfig config = new ConfigLoader().load(file(FILE), commandLine("git.poll-interval="));

        assertThat(config.git().pollInterval()).isEqualTo(ConfigLoader.DEFAULT_POLL_INTERVAL);
    }

    @Test
    void relativePathsOfPropertiesResolveAgainstTheWorkingDirectory() throws Exception {
        DrawbridgeConfig config = new ConfigLoader().load(file(FILE + "forge: {type: git-notes, webhook-secret-file: hook}\n"),
                commandLine("git.password-file=secrets/git-token"));

        assertThat(config.git().passwordFile().path()).isEqualTo(Path.of("secrets/git-token").toAbsolutePath());
        assertThat(config.forge().webhookSecretFile().path()).as("from the file: against its directory")
                .isEqualTo(dir.resolve("hook"));
    }

    @Test
    void theValueOfASecretPropertyIsNeverShown() throws Exception {
        List<String> problems = problems(file(FILE), List.of(
                property("forge.token-file[0]=hunter2", variable("DRAWBRIDGE_FORGE_TOKENFILE_0")),
                property("registries[0].host=hunter2 harbor", variable("DRAWBRIDGE_REGISTRIES_0_HOST")),
                property("registries[0].type=harbor", variable("DRAWBRIDGE_REGISTRIES_0_TYPE")),
                property("registries[0].password-file=x", variable("DRAWBRIDGE_REGISTRIES_0_PASSWORDFILE")),
                property("git.url=hunter2", variable("DRAWBRIDGE_GIT_TOKEN_URL"))));

        assertThat(problems).anyMatch(p -> p.contains("drawbridge.git.url") && p.contains("(value not shown)"));
        assertThat(problems).noneMatch(p -> p.contains("drawbridge.git.url") && p.contains("hunter2"));
        assertThat(problems).anyMatch(p -> p.contains("drawbridge.registries[0].host") && p.contains("hunter2 harbor"));
    }
}
