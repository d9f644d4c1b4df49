package dev.drawbridge.report.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.retry.OwedDeliveries;
import dev.drawbridge.retry.RetryQueue;

import java.net.http.HttpClient;
import java.util.function.Supplier;

/**
 * The generic JSON webhook: one POST per notification of
 * {@code {"environment","kind","revision","description","owners":[...],"link"}} ({@code revision} null
 * when unknown, {@code owners} sorted).
 */
public final class WebhookNotifier extends HttpNotifier {

    /** @param url reads the URL (a secret) at each use */
    public WebhookNotifier(String name, Supplier<String> url, HttpClient http) {
        super(name, url, http);
    }

    /** @param owed where the notifications not sent yet are kept across a restart ({@link #journal}); null: in memory only */
    public WebhookNotifier(String name, Supplier<String> url, HttpClient http, RetryQueue.Settings settings,
              OwedDeliveries<Sending> owed) {
        super(name, url, http, settings, owed);
    }

    @Override
    ObjectNode body(Notification n) {
        ObjectNode body = JSON.createObjectNode();
        body.put("environment", n.environment().value());
        body.put("kind", n.kind().name());
        body.put("revision", n.revision());
        body.put("description", n.description());
        ArrayNode owners = body.putArray("owners");
        n.owners().forEach(owners::add);
        body.put("link", n.link());
        return body;
    }
}
