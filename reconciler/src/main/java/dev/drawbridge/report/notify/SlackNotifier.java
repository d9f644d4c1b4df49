package dev.drawbridge.report.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.retry.OwedDeliveries;
import dev.drawbridge.retry.RetryQueue;

import java.net.http.HttpClient;
import java.util.function.Supplier;

/**
 * A Slack incoming webhook (and what speaks its dialect, e.g. Mattermost): {@code text} for notifications
 * and clients without blocks, and one {@code section} block in mrkdwn with the environment, what changed,
 * the revision, the description, the owners and a link to the decision page. Text from manifests and
 * policies is escaped as Slack asks ({@code &}, {@code <}, {@code >}), so it cannot forge links or mentions.
 */
public final class SlackNotifier extends HttpNotifier {

    /** @param url reads the URL (a secret: it embeds a token) at each use */
    public SlackNotifier(String name, Supplier<String> url, HttpClient http) {
        super(name, url, http);
    }

    /** @param owed where the notifications not sent yet are kept across a restart ({@link #journal}); null: in memory only */
    public SlackNotifier(String name, Supplier<String> url, HttpClient http, RetryQueue.Settings settings,
              OwedDeliveries<Sending> owed) {
        super(name, url, http, settings, owed);
    }

    @Override
    ObjectNode body(Notification n) {
        ObjectNode body = JSON.createObjectNode();
        body.put("text", escape(n.environment() + ": " + n.headline() + " at " + n.shortRevision() + ": " + n.description()));
        ObjectNode section = body.putArray("blocks").addObject();
        section.put("type", "section");
        ObjectNode text = section.putObject("text");
        text.put("type", "mrkdwn");
        text.put("text", mrkdwn(n));
        return body;
    }

    private static String mrkdwn(Notification n) {
        StringBuilder text = new StringBuilder()
                .append(icon(n.kind())).append(" *").append(escape(n.environment().value())).append("*: ")
                .append(escape(n.headline())).append(" at `").append(escape(n.shortRevision())).append("`\n")
                .append(escape(n.description()));
        if (!n.owners().isEmpty()) {
            text.append("\nowners: ").append(escape(String.join(", ", n.owners())));
        }
        if (n.link() != null) {
            text.append("\n<").append(escape(n.link())).append("|decision>");
        }
        return text.toString();
    }

    private static String icon(Notification.Kind kind) {
        return switch (kind) {
            case BLOCKED -> ":no_entry:";
            case UNBLOCKED, RECOVERED -> ":white_check_mark:";
            case ERROR -> ":warning:";
            case DRIFT_UNDONE -> ":leftwards_arrow_with_hook:";
            case EXCEPTION_EXPIRING -> ":hourglass_flowing_sand:";
            case EXCEPTION_EXPIRED -> ":hourglass:";
            case PROMOTION_OPENED -> ":arrow_heading_up:";
            case PROMOTION_BLOCKED -> ":no_entry:";
            case PROMOTION_MERGED -> ":rocket:";
        };
    }

    /** Slack's escaping of message text: only {@code &}, {@code <} and {@code >}. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
