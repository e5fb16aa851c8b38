package io.ackrotator.notify;

/**
 * A cluster whose condition changed since people were last told ({@code from} null: never told), or an event on it
 * ({@code event}: what happened, e.g. "revoked and replaced"; then {@code to} is null or the condition after it).
 */
public record Change(String clusterId, ClusterCondition from, ClusterCondition to, String detail, String event) {

    static Change condition(String clusterId, ClusterCondition from, ClusterCondition to, String detail) {
        return new Change(clusterId, from, to, detail, null);
    }

    static Change event(String clusterId, String what, String detail) {
        return new Change(clusterId, null, null, detail, what);
    }

    /** One line of a message: what changed, and the sweep's own words about it. */
    public String line() {
        String what = event != null ? event : switch (to) {
            case OK -> "recovered";
            case FAILED -> "rotation failed";
            case EXPIRING -> "expires soon and was not renewed";
        };
        return "cluster " + clusterId + ": " + what + (detail == null || detail.isBlank() ? "" : " (" + detail + ")");
    }

    /** How a receiver files it: the condition it changed to, or the event's kind. */
    String kind() {
        return event != null ? event.split(" ")[0] : to.wireName();
    }
}
