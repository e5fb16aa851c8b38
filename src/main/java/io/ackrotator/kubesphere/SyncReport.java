package io.ackrotator.kubesphere;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The resync function's answer. */
public record SyncReport(Instant startedAt, Instant finishedAt, boolean dryRun, List<SyncResult> results,
        Map<String, Long> summary, List<String> warnings) {
}
