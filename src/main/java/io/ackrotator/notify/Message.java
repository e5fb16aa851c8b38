package io.ackrotator.notify;

import java.util.List;

/** One message about one sweep: a title and one line per change (a summary when several clusters changed). */
public record Message(String title, List<Change> changes) {

    static Message of(List<Change> changes) {
        String title = changes.size() == 1 ? "ack-kubeconfig-rotator: " + changes.get(0).line()
                : "ack-kubeconfig-rotator: " + changes.size() + " clusters changed";
        return new Message(title.length() > 120 ? title.substring(0, 120) : title, changes);
    }

    String markdown() {
        StringBuilder text = new StringBuilder("### ").append(title).append("\n\n");
        changes.forEach(change -> text.append("- ").append(change.line()).append('\n'));
        return text.toString();
    }
}
