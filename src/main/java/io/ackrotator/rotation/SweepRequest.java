package io.ackrotator.rotation;

import io.ackrotator.ack.ClusterId;
import java.util.List;

/**
 * What a sweep should cover: the given clusters (empty = every managed one), for real or as a dry run; with
 * {@code reidentify}, a kubeconfig of another identity than the stored one may replace it (named clusters only).
 */
public record SweepRequest(List<ClusterId> clusterIds, boolean dryRun, boolean force, boolean reidentify) {

    public SweepRequest {
        clusterIds = List.copyOf(clusterIds);
        if (reidentify && clusterIds.isEmpty()) {
            throw new IllegalArgumentException("reidentify names the clusters it applies to: give clusterIds");
        }
    }

    public SweepRequest(List<ClusterId> clusterIds, boolean dryRun, boolean force) {
        this(clusterIds, dryRun, force, false);
    }

    public static SweepRequest everything() {
        return new SweepRequest(List.of(), false, false);
    }
}
