package dev.drawbridge.config;

import dev.drawbridge.registry.RegistrySettings;
import dev.drawbridge.values.EnvironmentName;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * The validated configuration (docs/configuration.md). Secrets appear only as {@link SecretFile} paths.
 *
 * @param source       the file it was read from, as given
 * @param git          {@code git:}
 * @param policies     {@code policies:}
 * @param registries   {@code registries:}, hosts unique
 * @param forge        {@code forge:}
 * @param dashboardUrl {@code dashboard-url}, without a trailing slash; default {@code http://localhost:8080}
 * @param cache        {@code cache:}
 * @param render       {@code render:}
 * @param inspect      {@code inspect:}
 * @param environments {@code environments:}, at least one, names unique
 * @param notifications {@code notifications:}, names unique; empty when absent
 * @param leases       {@code leases:}, or null when serve runs alone (holds every environment)
 * @param drift        {@code drift:}
 */
public record DrawbridgeConfig(String source, GitConfig git, PoliciesConfig policies, List<RegistryConfig> registries,
                               ForgeConfig forge, URI dashboardUrl, CacheConfig cache, RenderConfig render,
                               InspectConfig inspect, List<EnvironmentConfig> environments,
                               List<NotificationConfig> notifications, LeasesConfig leases, DriftConfig drift) {

    public DrawbridgeConfig {
        registries = List.copyOf(registries);
        environments = List.copyOf(environments);
        notifications = List.copyOf(notifications);
        drift = drift == null ? DriftConfig.defaults() : drift;
    }

    /** The settings of each configured registry; each password is read from its file at use. */
    public List<RegistrySettings> registrySettings() {
        return registries.stream().map(RegistryConfig::toSettings).toList();
    }

    public Optional<EnvironmentConfig> environment(EnvironmentName name) {
        return environments.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    public List<EnvironmentName> environmentNames() {
        return environments.stream().map(EnvironmentConfig::name).toList();
    }
}
