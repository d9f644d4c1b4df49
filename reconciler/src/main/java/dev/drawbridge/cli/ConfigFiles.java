package dev.drawbridge.cli;

import dev.drawbridge.config.ConfigLoader;
import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.values.EnvironmentName;
import dev.drawbridge.yaml.Property;
import dev.drawbridge.yaml.YamlProblem;
import dev.drawbridge.yaml.YamlValidationException;
import java.util.stream.Collectors;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Loads the configuration for a command, printing each problem as one {@code FILE:LINE: ...} line. */
final class ConfigFiles {
    private ConfigFiles() {
    }

    /** The named environment, or empty after printing which ones are configured. */
    static Optional<EnvironmentConfig> environment(DrawbridgeConfig config, String name, Path file, PrintWriter err) {
        Optional<EnvironmentConfig> env = EnvironmentName.parse(name).flatMap(config::environment);
        if (env.isEmpty()) {
            err.println(file + ": environment \"" + name + "\" is not configured (configured: "
                    + config.environmentNames().stream().map(EnvironmentName::value).collect(Collectors.joining(", ")) + ")");
        }
        return env;
    }

    /**
     * The file (may be null) with the properties set over it ({@code drawbridge.*}, highest precedence
     * first), validated once; each problem names the file and line or the property and its source.
     */
    static Optional<DrawbridgeConfig> load(Path file, List<Property> properties, PrintWriter err) {
        try {
            return Optional.of(new ConfigLoader().load(file, properties));
        } catch (YamlValidationException e) {
            e.problems().stream().map(YamlProblem::toString).forEach(err::println);
            err.flush();
            return Optional.empty();
        }
    }
}
