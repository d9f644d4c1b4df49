package dev.drawbridge.registry;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drawbridge.json.Mappers;

/** JSON helpers shared by the registry readers. */
final class Json {
    static final ObjectMapper MAPPER = Mappers.API;

    private Json() {
    }

    static JsonNode parse(byte[] body, Supplier<RegistryException> malformed) throws RegistryException {
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw malformed.get();
            }
            return node;
        } catch (IOException e) {
            throw malformed.get();
        }
    }

    /** Parses without failing: null when the body is not a JSON object. */
    static JsonNode tryParse(byte[] body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
    }

    /**
     * An RFC 3339 time, null when absent, blank or Go's zero time (Harbor writes {@code 0001-01-01T00:00:00Z}
     * for "never").
     *
     * @throws DateTimeParseException when present but not a time
     */
    static Instant time(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Instant instant = OffsetDateTime.parse(value.strip()).toInstant();
        return instant.getEpochSecond() <= -62135596800L ? null : instant;
    }
}
