package io.ackrotator.hygiene;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

/** The fleet audit: fleet-wide counts, the clusters whose listing failed (named), and every cluster's findings. */
@RegisterForReflection
public record FleetAuditReport(Instant auditedAt, int clusters, List<String> failedClusters, AuditSummary summary,
        List<ClusterAudit> results, List<String> warnings) {
}
