package dev.drawbridge.config;

import dev.drawbridge.values.EnvironmentName;

import java.util.List;
import java.util.Objects;

/**
 * One entry of {@code notifications:} (docs/operations.md): where changes of outcome are sent.
 *
 * @param name         unique among the notifications; names it in logs (the URL never is)
 * @param type         {@link Type#SLACK} (Slack incoming webhook) or {@link Type#WEBHOOK} (generic JSON)
 * @param urlFile      the URL, a secret (Slack URLs embed a token), read at use
 * @param owners       only events about workloads labelled {@code drawbridge.dev/owner} with one of these;
 *                     empty means every event
 * @param environments only events of these environments; empty means all
 */
public record NotificationConfig(String name, Type type, SecretFile urlFile, List<String> owners,
                                 List<EnvironmentName> environments) {

    public NotificationConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(urlFile, "urlFile");
        owners = List.copyOf(owners);
        environments = List.copyOf(environments);
    }

    public enum Type {
        SLACK, WEBHOOK;

        /** The spelling in the configuration file. */
        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
