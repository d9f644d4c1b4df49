/**
 * Config: reads and validates the Drawbridge configuration file (docs/configuration.md) into an immutable
 * record tree ({@link dev.drawbridge.config.DrawbridgeConfig}), reporting every unknown key, missing
 * key and bad value with its file, line and key path, and wires what the stages need from it (such as
 * the {@link dev.drawbridge.registry.RegistrySettings} of each registry). Secrets are only ever file
 * paths, read at use ({@link dev.drawbridge.config.SecretFile}). The same keys given as properties
 * ({@code drawbridge.git.url}; read from Spring by {@code config.spring}) are set over the file's and
 * validated with it. Turns each value into its type once ({@code forge.type} into
 * {@link dev.drawbridge.config.ForgeConfig.Type}, whose API forges are a
 * {@link dev.drawbridge.report.forge.ForgeKind}). Depends on {@code yaml}, {@code registry}, {@code image},
 * {@code apply}, {@code report.forge} (the forge kind) and {@code redact}.
 */
package dev.drawbridge.config;
