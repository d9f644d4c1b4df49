package dev.drawbridge.config;

import dev.drawbridge.yaml.MappingReader;

import java.nio.file.Path;

/**
 * Local file paths of the configuration, resolved against the directory of the configuration file, or,
 * for a value set by a property, against the working directory ({@code ~/} against home).
 */
record LocalFiles(Path baseDirectory, Path workingDirectory) {

    LocalFiles(Path baseDirectory) {
        this(baseDirectory, Path.of("").toAbsolutePath());
    }

    Path file(MappingReader reader, String key) {
        Path base = base(reader, key);
        return reader.value(key, text -> PathRules.localFile(text, base), null);
    }

    /** The directory relative paths of {@code key} resolve against. */
    Path base(MappingReader reader, String key) {
        return reader.fromDocument(key) ? baseDirectory : workingDirectory;
    }

    SecretFile secret(MappingReader reader, String key) {
        Path path = file(reader, key);
        return path == null ? null : new SecretFile(path);
    }
}
