package io.ackrotator.notify;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One message about one sweep: a title and one line per change (a summary when several clusters changed); {@code id}
 * and {@code at} stay the same over every delivery attempt, so receivers can drop a retried duplicate.
 */
public record Message(String id, Instant at, String title, List<Change> changes) {

    static Message of(List<Change> changes, Instant at) {
        String title = changes.size() == 1 ? "ack-kubeconfig-rotator: " + changes.get(0).line()
                : "ack-kubeconfig-rotator: " + changes.size() + " clusters changed";
        return new Message(UUID.randomUUID().toString(), at, title.length() > 120 ? title.substring(0, 120) : title,
                changes);
    }

    String markdown() {
        StringBuilder text = new StringBuilder("### ").append(title).append("\n\n");
        changes.forEach(change -> text.append("- ").append(change.line()).append('\n'));
        return text.toString();
    }
}
