package dev.drawbridge.web;

import dev.drawbridge.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line of {@code serve}: help, and the errors that stop it before a server starts. */
class ServeCommandTest {

    @TempDir
    Path dir;

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int run(String... args) {
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void serveHelpExitsZeroAndNamesTheEndpoints() {
        assertThat(run("serve", "--help")).isZero();
        assertThat(out.toString()).contains("drawbridge serve [--config FILE] [--port N] [--drawbridge.KEY=VALUE]...",
                "/actuator/health", "/environments/ENV/decisions/SHA", "--drawbridge.environments[0].promote-from=acceptance",
                "DRAWBRIDGE_ENVIRONMENTS_0_PROMOTEFROM", "SPRING_APPLICATION_JSON", "--spring.config.location",
                "--state-dir DIR");
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("serve");
    }

    @Test
    void aBadConfigurationExitsTwoWithTheFileAndKey() throws Exception {
        Path config = dir.resolve("drawbridge.yaml");
        Files.writeString(config, "git:\n  url: file:///nowhere\nenvironments: []\nbogus: 1\n");

        assertThat(run("serve", "--config", config.toString(), "--port", "0")).isEqualTo(2);
        assertThat(err.toString()).contains(config.toString()).contains("bogus");
    }

    Path twoEnvironments() throws Exception {
        Path config = dir.resolve("drawbridge.yaml");
        Files.writeString(config, """
                git: {url: "file:///nowhere", poll-interval: 1m}
                environments:
                  - {name: dev, branch: env/dev, path: dev}
                  - {name: production, branch: env/production, path: production}
                """);
        return config;
    }

    @Test
    void anUnknownDrawbridgePropertyExitsTwoNamingItsKeyAndSource() throws Exception {
        assertThat(run("serve", "--config", twoEnvironments().toString(), "--port", "0",
                "--drawbridge.environments[1].intervall=5m")).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly(
                "command line: drawbridge.environments[1].intervall: unknown key (did you mean \"interval\"?)");
    }

    @Test
    void aBadValueOfAPropertyThatOverridesTheFileExitsTwoNamingTheKeyPath() throws Exception {
        assertThat(run("serve", "--config", twoEnvironments().toString(), "--port", "0",
                "--drawbridge.git.poll-interval=5 minutes")).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly(
                "command line: drawbridge.git.poll-interval: invalid duration \"5 minutes\" (expected e.g. 30s, 15m, 12h, 7d)");
    }

    @Test
    void propertiesAloneMustMakeACompleteConfiguration() {
        assertThat(run("serve", "--port", "0", "--drawbridge.git.url=file:///nowhere")).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly(
                "drawbridge.* properties: drawbridge.environments: is required (at least one environment)");
    }

    @Test
    void aSpringPropertyTakesItsValueAfterEquals() {
        assertThat(run("serve", "--drawbridge.git.url", "file:///nowhere")).isEqualTo(2);
        assertThat(err.toString()).contains("option '--drawbridge.git.url' takes its value after '='");
        assertThat(run("serve", "--server.port=1")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown option '--server.port'");
    }

    @Test
    void aSpringConfigLocationThatDoesNotExistExitsTwoWithOneLine() throws Exception {
        assertThat(run("serve", "--config", twoEnvironments().toString(),
                "--spring.config.location=" + dir.resolve("missing.yaml"))).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement().asString()
                .startsWith("drawbridge serve: cannot read the Spring properties: ").contains("missing.yaml");
    }

    @Test
    void aMissingConfigurationOrABadPortIsAUsageError() {
        assertThat(run("serve")).isEqualTo(2);
        assertThat(err.toString()).contains("missing required option '--config' (or the configuration as drawbridge.* properties)");
        assertThat(run("serve", "--config", "x.yaml", "--port", "http")).isEqualTo(2);
        assertThat(err.toString()).contains("--port must be a number");
    }
}
