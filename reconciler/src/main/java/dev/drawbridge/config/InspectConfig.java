package dev.drawbridge.config;

import dev.drawbridge.image.ExtraImagePath;
import java.util.List;

/** {@code inspect:} where else images hide, beyond pod specs ({@code extra-image-paths}). */
public record InspectConfig(List<ExtraImagePath> extraImagePaths) {
    public InspectConfig {
        extraImagePaths = List.copyOf(extraImagePaths);
    }
}
