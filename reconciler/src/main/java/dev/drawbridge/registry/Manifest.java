package dev.drawbridge.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.image.Digest;

/** A manifest as fetched: its verified digest, media type, raw bytes and parsed JSON. */
record Manifest(Digest digest, String mediaType, byte[] body, JsonNode json) {

    boolean isIndex() {
        return MediaTypes.INDEXES.contains(mediaType) || (json.has("manifests") && !json.has("config"));
    }
}
