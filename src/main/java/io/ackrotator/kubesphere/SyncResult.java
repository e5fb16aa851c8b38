package io.ackrotator.kubesphere;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One member's re-sync. {@code outcome}: synced, failed or skipped. {@code actions} name what changed (or, in a dry
 * run, what would); {@code connectivity} is "ok" or "failed: reason". jwtSecret values never appear.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record SyncResult(String cluster, String clusterId, String outcome, List<String> actions, String connectivity,
        String message) {

    public static final String SYNCED = "synced";
    public static final String FAILED = "failed";
    public static final String SKIPPED = "skipped";

    public SyncResult {
        actions = List.copyOf(actions);
    }

    SyncResult withNote(String note) {
        return new SyncResult(cluster, clusterId, outcome, actions, connectivity, message + "; " + note);
    }
}
