package dev.drawbridge.config;

import java.util.regex.Pattern;

/** The {@code forge.repository} forms: {@code owner/name}; on GitLab also a numeric id or a group path. */
final class ForgeRepositories {
    private static final Pattern OWNER_NAME = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+");
    private static final Pattern GITLAB = Pattern.compile("[0-9]+|[A-Za-z0-9_.-]+((/|%2F)[A-Za-z0-9_.-]+)+");

    private ForgeRepositories() {
    }

    static String check(ForgeConfig.Type type, String input) {
        boolean ok = type == ForgeConfig.Type.GITLAB ? GITLAB.matcher(input).matches() : OWNER_NAME.matcher(input).matches();
        if (!ok) {
            throw new IllegalArgumentException("invalid repository \"" + input + "\" (expected owner/name"
                    + (type == ForgeConfig.Type.GITLAB ? ", a numeric project id or group/subgroup/name)" : ")"));
        }
        return input;
    }
}
