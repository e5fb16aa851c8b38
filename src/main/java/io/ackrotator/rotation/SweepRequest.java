package io.ackrotator.rotation;

import io.ackrotator.ack.ClusterId;
import java.util.List;

/** What a sweep should cover: the given clusters (empty = every managed one), for real or as a dry run. */
public record SweepRequest(List<ClusterId> clusterIds, boolean dryRun, boolean force) {

    public SweepRequest {
        clusterIds = List.copyOf(clusterIds);
    }

    public static SweepRequest everything() {
        return new SweepRequest(List.of(), false, false);
    }
}
