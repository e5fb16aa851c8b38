package io.ackrotator.rotation;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The inventory: every managed cluster and counts per state. */
@RegisterForReflection
public record StatusReport(Instant at, String renewBefore, List<ClusterStatus> clusters, Map<String, Long> summary,
        List<String> warnings) {
}
