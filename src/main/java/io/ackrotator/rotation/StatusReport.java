package io.ackrotator.rotation;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The inventory: every managed cluster and counts per state; {@code lastAudit}, the last fleet audit's flags when one
 * ran (the hygiene capability's report), and {@code notified}, what people were last told per cluster (the
 * notification capability's state), and {@code lastFanout}, the last fanned-out sweep's batches; added by whoever
 * composes the status.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StatusReport(Instant at, String renewBefore, List<ClusterStatus> clusters, Map<String, Long> summary,
        List<String> warnings, Object lastAudit, Object notified, Object lastFanout) {

    public StatusReport(Instant at, String renewBefore, List<ClusterStatus> clusters, Map<String, Long> summary,
            List<String> warnings) {
        this(at, renewBefore, clusters, summary, warnings, null, null, null);
    }

    public StatusReport withLastAudit(Object audit) {
        return new StatusReport(at, renewBefore, clusters, summary, warnings, audit, notified, lastFanout);
    }

    public StatusReport withNotified(Object state) {
        return new StatusReport(at, renewBefore, clusters, summary, warnings, lastAudit, state, lastFanout);
    }

    public StatusReport withLastFanout(Object fanout) {
        return new StatusReport(at, renewBefore, clusters, summary, warnings, lastAudit, notified, fanout);
    }
}
