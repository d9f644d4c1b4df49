package dev.drawbridge.config;

import dev.drawbridge.yaml.MappingReader;

import java.nio.file.Path;

/** Local file paths of the configuration, resolved against its directory ({@code ~/} against home). */
record LocalFiles(Path baseDirectory) {

    Path file(MappingReader reader, String key) {
        return reader.value(key, text -> PathRules.localFile(text, baseDirectory), null);
    }

    SecretFile secret(MappingReader reader, String key) {
        Path path = file(reader, key);
        return path == null ? null : new SecretFile(path);
    }
}
