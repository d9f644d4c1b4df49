package dev.drawbridge.config;

import dev.drawbridge.values.EnvironmentName;
import dev.drawbridge.yaml.MappingReader;
import dev.drawbridge.yaml.Suggestions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads {@code notifications:}. Read after {@code environments:}, whose names an entry's
 * {@code environments} filter must use.
 */
final class NotificationsReader {
    /** A Kubernetes label value: at most 63 characters, alphanumeric at both ends, {@code -_.} inside. */
    private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

    private final MappingReader top;
    private final LocalFiles files;
    private final List<String> environmentNames;

    NotificationsReader(MappingReader top, LocalFiles files, List<String> environmentNames) {
        this.top = top;
        this.files = files;
        this.environmentNames = environmentNames;
    }

    List<NotificationConfig> read() {
        List<NotificationConfig> notifications = new ArrayList<>();
        Map<String, String> nameLines = new HashMap<>();
        for (MappingReader r : top.mappings("notifications")) {
            NotificationConfig notification = notification(r);
            if (notification == null) {
                continue;
            }
            String first = nameLines.putIfAbsent(notification.name(), r.location("name"));
            if (first != null) {
                r.problem("name", "duplicate notification name \"" + notification.name() + "\" (first at " + first + ")");
                continue;
            }
            notifications.add(notification);
        }
        return notifications;
    }

    private NotificationConfig notification(MappingReader r) {
        String name = r.requiredString("name");
        List<String> types = Arrays.stream(NotificationConfig.Type.values()).map(NotificationConfig.Type::configName).toList();
        String typeName = r.oneOf("type", types, null);
        if (!r.has("type")) {
            r.problem("type", "is required (" + String.join(" or ", types) + ")");
        }
        SecretFile urlFile = files.secret(r, "url-file");
        if (!r.has("url-file")) {
            r.problem("url-file", "is required (a file holding the webhook URL: it is a secret)");
        }
        List<String> owners = r.list("owners", NotificationsReader::owner, List.of());
        List<EnvironmentName> environments = r.list("environments", this::environment, List.of());
        r.finish();
        if (name == null || typeName == null || urlFile == null) {
            return null;
        }
        return new NotificationConfig(name, NotificationConfig.Type.valueOf(typeName.toUpperCase(Locale.ROOT)), urlFile,
                owners, environments);
    }

    private static String owner(String input) {
        if (!LABEL_VALUE.matcher(input).matches()) {
            throw new IllegalArgumentException("invalid owner \"" + input + "\" (a value of the label drawbridge.dev/owner:"
                    + " letters, digits, '-', '_', '.', at most 63, e.g. team-shop)");
        }
        return input;
    }

    private EnvironmentName environment(String input) {
        if (!environmentNames.contains(input)) {
            throw new IllegalArgumentException("unknown environment \"" + input + "\""
                    + Suggestions.hint(input, environmentNames) + " (environments: " + String.join(", ", environmentNames) + ")");
        }
        return EnvironmentName.of(input);
    }
}
