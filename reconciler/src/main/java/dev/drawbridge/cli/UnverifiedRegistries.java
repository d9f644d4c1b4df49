package dev.drawbridge.cli;

import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.RegistryConfig;
import dev.drawbridge.registry.RegistrySettings;

import java.io.PrintWriter;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The one warning line per {@code oci} registry without {@code signed-by}, printed by the commands that read
 * scan reports when they start (once per process): anyone who may push to such a registry can attach a clean
 * report, so its reports are not signature-verified and a person should know.
 */
final class UnverifiedRegistries {
    private UnverifiedRegistries() {
    }

    static List<String> warnings(DrawbridgeConfig config) {
        List<RegistryConfig> registries = config.registries();
        return IntStream.range(0, registries.size())
                .filter(i -> registries.get(i).type() == RegistrySettings.Type.OCI && registries.get(i).signedBy().isEmpty())
                .mapToObj(i -> "warning: registry " + registries.get(i).host() + " (oci): its scan reports and SBOMs are "
                        + "not signature-verified; anyone who can push to it can attach a report (set registries["
                        + i + "].signed-by to the scanners' public keys)")
                .toList();
    }

    static void print(DrawbridgeConfig config, PrintWriter err) {
        warnings(config).forEach(err::println);
        err.flush();
    }
}
