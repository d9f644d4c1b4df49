package dev.drawbridge.registry;

import dev.drawbridge.image.Digest;

import java.time.Instant;

/**
 * One image manifest of an image: {@code platform} like {@code linux/amd64} (null for a plain image
 * manifest), its digest, and {@code created} from the image config (null when the config has none).
 */
public record PlatformImage(String platform, Digest digest, Instant created) {
}
