/**
 * Notifications (docs/operations.md): tells people when the outcome of an environment changes — newly blocked,
 * unblocked, error, recovered, drift undone — through a generic JSON webhook ({@link
 * dev.drawbridge.report.notify.WebhookNotifier}) or a Slack incoming webhook ({@link
 * dev.drawbridge.report.notify.SlackNotifier}). Deciding <em>when</em> to notify and <em>whom</em> is the
 * reconcile's business; this package only delivers. Delivery is asynchronous (one worker thread per
 * notifier), retried with backoff when the endpoint fails, kept across a restart when given a journal
 * (docs/retries.md), and never throws to the caller. The URL is a secret (Slack URLs embed a token): it is read at
 * use and never logged. Plain Java: {@code java.net.http}, Jackson and SLF4J.
 */
package dev.drawbridge.report.notify;
