package dev.drawbridge.cli;

import dev.drawbridge.config.ConfigLoader;
import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.yaml.YamlProblem;
import dev.drawbridge.yaml.YamlValidationException;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/** Loads the configuration for a command, printing each problem as one {@code FILE:LINE: ...} line. */
final class ConfigFiles {
    private ConfigFiles() {
    }

    static Optional<DrawbridgeConfig> load(Path file, PrintWriter err) {
        try {
            return Optional.of(new ConfigLoader().load(file));
        } catch (YamlValidationException e) {
            e.problems().stream().map(YamlProblem::toString).forEach(err::println);
            err.flush();
            return Optional.empty();
        }
    }
}
