package io.ackrotator.notify;

/** A cluster whose condition changed since people were last told ({@code from} null: never told), or an event. */
public record Change(String clusterId, ClusterCondition from, ClusterCondition to, String detail, boolean event) {

    /** One line of a message: what changed, and the sweep's own words about it. */
    public String line() {
        String what = event ? "revoked and replaced" : switch (to) {
            case OK -> "recovered";
            case FAILED -> "rotation failed";
            case EXPIRING -> "expires soon and was not renewed";
        };
        return "cluster " + clusterId + ": " + what + (detail == null || detail.isBlank() ? "" : " (" + detail + ")");
    }
}
