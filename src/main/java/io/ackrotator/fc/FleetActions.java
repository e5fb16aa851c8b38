package io.ackrotator.fc;

import io.ackrotator.ack.AckClient;
import io.ackrotator.kubesphere.KubeSphereSync;
import io.ackrotator.hygiene.FleetAudit;
import io.ackrotator.rotation.RotationSweep;
import io.ackrotator.rotation.SweepRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Runs a {@link FleetAction}: the one code path for timer events, other events and the in-process scheduler. */
@ApplicationScoped
public class FleetActions {

    private final RotationSweep sweep;
    private final KubeSphereSync kubesphere;
    private final FleetStatus status;
    private final FleetAudit audit;

    private final io.ackrotator.fanout.FanOut fanOut;

    public FleetActions(RotationSweep sweep, KubeSphereSync kubesphere, FleetStatus status, FleetAudit audit,
            io.ackrotator.fanout.FanOut fanOut) {
        this.fanOut = fanOut;
        this.sweep = sweep;
        this.kubesphere = kubesphere;
        this.status = status;
        this.audit = audit;
    }

    public Object run(FleetAction action, AckClient ack) {
        return run(action, ack, java.util.Optional.empty());
    }

    /**
     * {@code invocationId}: FC's request ID of this invocation, which its retries keep; a fanned-out sweep makes its
     * batches' task IDs from it.
     */
    public Object run(FleetAction action, AckClient ack, java.util.Optional<String> invocationId) {
        return switch (action.name()) {
            case "sweep" -> fanOut.enabled() && !action.dryRun()
                    ? fanOut.start(ack, invocationId.orElseGet(() -> java.util.UUID.randomUUID().toString()))
                    : sweep.run(ack, new SweepRequest(List.of(), action.dryRun(), false));
            case "sweep-batch" -> sweep.runBatch(ack, action.batch().sweep(), action.batch().index(),
                    action.batch().clusters());
            case "rotate" -> sweep.run(ack, new SweepRequest(action.clusterIds(), action.dryRun(), action.force()));
            case "resync" -> kubesphere.resync(ack, action.members(), action.dryRun());
            case "status" -> status.status(ack);
            case "audit" -> audit.run(ack, action.clusterIds(), action.rbac());
            case "adopt" -> sweep.adopt(ack, action.clusterIds());
            default -> throw new IllegalStateException("unreachable: " + action.name());
        };
    }
}
