package dev.drawbridge.reconcile;

import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.image.ImageInspector;
import dev.drawbridge.registry.RegistryLookup;
import dev.drawbridge.render.KustomizeRenderer;
import dev.drawbridge.render.RenderSettings;
import dev.drawbridge.source.JGitSource;

import java.time.Clock;

/** Builds the stages of an engine from a validated configuration. */
public final class Engines {
    private Engines() {
    }

    public static Stages stages(DrawbridgeConfig config, Clock clock) {
        RenderSettings render = RenderSettings.defaults()
                .withCommand(config.render().command())
                .withTimeout(config.render().timeout())
                .withMaxOutputBytes(config.render().maxOutputBytes());
        return new Stages(new JGitSource(), new KustomizeRenderer(render),
                new ImageInspector(config.inspect().extraImagePaths()),
                new RegistryLookup(config.registrySettings(), clock, config.cache().ttl()), clock);
    }
}
