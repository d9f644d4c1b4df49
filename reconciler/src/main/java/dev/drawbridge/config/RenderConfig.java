package dev.drawbridge.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code render:} how manifests are rendered.
 *
 * @param command        program and arguments run in the environment's path (no shell); empty means the
 *                       render stage's default ({@code kustomize build}, or {@code kubectl kustomize})
 * @param timeout        default 60s
 * @param maxOutputBytes {@code max-output}, the most stdout that is read; default 64Mi
 */
public record RenderConfig(List<String> command, Duration timeout, long maxOutputBytes) {
    public RenderConfig {
        command = List.copyOf(command);
    }
}
