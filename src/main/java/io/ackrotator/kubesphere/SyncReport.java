package io.ackrotator.kubesphere;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The resync function's answer. */
@RegisterForReflection
public record SyncReport(Instant startedAt, Instant finishedAt, boolean dryRun, List<SyncResult> results,
        Map<String, Long> summary, List<String> warnings) {
}
