/**
 * Config: reads and validates the Drawbridge configuration file (docs/configuration.md) into an immutable
 * record tree ({@link dev.drawbridge.config.DrawbridgeConfig}), reporting every unknown key, missing
 * key and bad value with its file, line and key path, and wires what the stages need from it (such as
 * the {@link dev.drawbridge.registry.RegistrySettings} of each registry). Secrets are only ever file
 * paths, read at use ({@link dev.drawbridge.config.SecretFile}). The same keys given as properties
 * ({@code drawbridge.git.url}; read from Spring by {@code config.spring}) are set over the file's and
 * validated with it. Depends on {@code yaml},
 * {@code registry} and {@code image}.
 */
package dev.drawbridge.config;
