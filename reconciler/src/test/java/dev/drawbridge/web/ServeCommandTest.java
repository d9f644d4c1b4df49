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
        assertThat(out.toString()).contains("drawbridge serve --config FILE [--port N]", "/actuator/health",
                "/environments/ENV/decisions/SHA");
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

    @Test
    void aMissingConfigurationOrABadPortIsAUsageError() {
        assertThat(run("serve")).isEqualTo(2);
        assertThat(err.toString()).contains("--config");
        assertThat(run("serve", "--config", "x.yaml", "--port", "http")).isEqualTo(2);
        assertThat(err.toString()).contains("--port must be a number");
    }
}
