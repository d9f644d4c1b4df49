package dev.drawbridge.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line's own contract: help, usage errors and their exit codes. */
class CommandLineTest {

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int run(String... args) {
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void helpOnEveryCommandExitsZero() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("check");
        assertThat(run("check", "--help")).isZero();
        assertThat(out.toString()).contains("--config FILE", "--env NAME", "--dir DIR", "--format", "Exit codes");
    }

    @Test
    void promoteHasHelpAndRefusesAnEnvironmentWithoutPromoteFrom(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        assertThat(run("promote", "--help")).isZero();
        assertThat(out.toString()).contains("--config FILE", "--env NAME", "opened, updated, unchanged, merged, closed",
                "Exit codes: 0 done or nothing to do, 1 NAME's gate blocks the candidate, 2 an error");
        java.nio.file.Path config = dir.resolve("drawbridge.yaml");
        java.nio.file.Files.writeString(config, """
                git: {url: "file:///srv/git/deploy.git"}
                environments:
                  - {name: acceptance, branch: env/acceptance, path: a}
                  - {name: production, branch: env/production, path: p, promote-from: acceptance}
                """);
        assertThat(run("promote", "--config", config.toString(), "--env", "acceptance")).isEqualTo(2);
        assertThat(err.toString()).contains("environment acceptance has no promote-from");
        assertThat(run("promote", "--config", config.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("missing required option '--env'");
    }

    @Test
    void noCommandIsAUsageError() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("a command is required");
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        assertThat(run("deploy")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown command 'deploy'");
    }

    @Test
    void missingRequiredOptionsAreUsageErrors() {
        assertThat(run("check", "--env", "dev")).isEqualTo(2);
        assertThat(err.toString()).contains("missing required option '--config'");
        assertThat(run("check", "--config", "x.yaml")).isEqualTo(2);
        assertThat(err.toString()).contains("missing required option '--env'");
    }

    @Test
    void unknownOptionsAndBadValuesAreUsageErrors() {
        assertThat(run("check", "--config", "x.yaml", "--env", "dev", "--colour")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown option '--colour'");
        assertThat(run("check", "--config=x.yaml", "--env=dev", "--format=xml")).isEqualTo(2);
        assertThat(err.toString()).contains("'--format'", "xml");
        assertThat(run("check", "--config", "x.yaml", "--env")).isEqualTo(2);
        assertThat(err.toString()).contains("missing value for option '--env'");
    }

    @Test
    void aMissingConfigurationFileIsAnErrorNamingIt() {
        assertThat(run("check", "--config", "/nonexistent/drawbridge.yaml", "--env", "dev")).isEqualTo(2);
        assertThat(err.toString()).contains("/nonexistent/drawbridge.yaml");
    }
}
