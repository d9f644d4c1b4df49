package dev.drawbridge.web;

import java.util.function.UnaryOperator;

/**
 * The forges that send webhooks, with the headers each one uses for the event type, the delivery id and
 * the proof that it knows the secret.
 */
enum HookSource {
    GITHUB("X-GitHub-Event", "X-GitHub-Delivery"),
    GITLAB("X-Gitlab-Event", "X-Gitlab-Event-UUID"),
    GITEA("X-Gitea-Event", "X-Gitea-Delivery");

    private final String eventHeader;
    private final String deliveryHeader;

    HookSource(String eventHeader, String deliveryHeader) {
        this.eventHeader = eventHeader;
        this.deliveryHeader = deliveryHeader;
    }

    /** Whether the delivery carries proof of {@code secret}; {@code header} reads a request header (null when absent). */
    boolean authentic(String secret, byte[] body, UnaryOperator<String> header) {
        return switch (this) {
            case GITHUB -> WebhookSignatures.github(secret, body, header.apply("X-Hub-Signature-256"));
            case GITLAB -> WebhookSignatures.gitlab(secret, header.apply("X-Gitlab-Token"));
            case GITEA -> WebhookSignatures.gitea(secret, body, header.apply("X-Gitea-Signature"));
        };
    }

    String event(UnaryOperator<String> header) {
        return header.apply(eventHeader);
    }

    /** The id of the delivery (the same on a redelivery), or null when the forge sent none. */
    String delivery(UnaryOperator<String> header) {
        String id = header.apply(deliveryHeader);
        if ((id == null || id.isBlank()) && this == GITLAB) {
            id = header.apply("Idempotency-Key");
        }
        return id == null || id.isBlank() ? null : name().toLowerCase(java.util.Locale.ROOT) + ":" + id.strip();
    }
}
