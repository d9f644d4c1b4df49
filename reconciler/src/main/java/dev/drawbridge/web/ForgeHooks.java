package dev.drawbridge.web;

import dev.drawbridge.report.forge.ForgeKind;

import java.util.function.UnaryOperator;

/**
 * What each forge's webhook deliveries carry: the header naming the event, the header with the delivery id, and
 * the proof that the sender knows the secret. {@code header} reads a request header (null when absent).
 */
final class ForgeHooks {

    private ForgeHooks() {
    }

    /** Whether the delivery carries proof of {@code secret}. */
    static boolean authentic(ForgeKind forge, String secret, byte[] body, UnaryOperator<String> header) {
        return switch (forge) {
            case GITHUB -> WebhookSignatures.github(secret, body, header.apply("X-Hub-Signature-256"));
            case GITLAB -> WebhookSignatures.gitlab(secret, header.apply("X-Gitlab-Token"));
            case GITEA -> WebhookSignatures.gitea(secret, body, header.apply("X-Gitea-Signature"));
        };
    }

    /** The forge's name of the event, e.g. {@code push} (GitHub, Gitea) or {@code Push Hook} (GitLab). */
    static String event(ForgeKind forge, UnaryOperator<String> header) {
        return header.apply(switch (forge) {
            case GITHUB -> "X-GitHub-Event";
            case GITLAB -> "X-Gitlab-Event";
            case GITEA -> "X-Gitea-Event";
        });
    }

    /** The id of the delivery (the same on a redelivery) prefixed with the forge, or null when the forge sent none. */
    static String delivery(ForgeKind forge, UnaryOperator<String> header) {
        String id = header.apply(switch (forge) {
            case GITHUB -> "X-GitHub-Delivery";
            case GITLAB -> "X-Gitlab-Event-UUID";
            case GITEA -> "X-Gitea-Delivery";
        });
        if ((id == null || id.isBlank()) && forge == ForgeKind.GITLAB) {
            id = header.apply("Idempotency-Key");
        }
        return id == null || id.isBlank() ? null : forge.configName() + ":" + id.strip();
    }
}
