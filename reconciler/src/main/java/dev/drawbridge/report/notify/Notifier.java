package dev.drawbridge.report.notify;

/** Sends notifications to one destination. */
public interface Notifier {

    /** The name it has in the configuration; logs name a notifier by it, never by its URL. */
    String name();

    /** Queues the notification and returns at once; never throws. */
    void send(Notification notification);
}
