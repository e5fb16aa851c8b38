package io.ackrotator.rotation;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sweep's answer: one result per cluster and counts per action. {@code status} is {@code completed}, {@code
 * sweep-in-progress} when another sweep held the Lease (then nothing was done), or {@code deadline-reached}.
 */
@RegisterForReflection
public record RotationReport(String runId, String status, boolean dryRun, Instant startedAt, Instant finishedAt,
        List<RotationResult> results, Map<String, Long> summary, List<String> warnings) {

    public static final String COMPLETED = "completed";

    /** A report with these warnings first. */
    public RotationReport withWarningsFirst(List<String> first) {
        List<String> all = new java.util.ArrayList<>(first);
        all.addAll(warnings);
        return new RotationReport(runId, status, dryRun, startedAt, finishedAt, results, summary, List.copyOf(all));
    }
    public static final String IN_PROGRESS = "sweep-in-progress";
    /** Stopped at rotator.sweep.deadline with clusters left {@code deferred}. */
    public static final String DEADLINE = "deadline-reached";

    /** Whether the run did all it was asked to: not skipped for another sweep's Lease, not cut by the deadline. */
    public boolean finished() {
        return status.equals(COMPLETED);
    }

    public static Map<String, Long> summarise(List<RotationResult> results) {
        Map<String, Long> summary = new LinkedHashMap<>();
        for (RotationAction action : RotationAction.values()) {
            summary.put(action.wireName(), results.stream().filter(r -> r.action() == action).count());
        }
        return summary;
    }
}
