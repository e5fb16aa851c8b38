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

    public FleetActions(RotationSweep sweep, KubeSphereSync kubesphere, FleetStatus status, FleetAudit audit) {
        this.sweep = sweep;
        this.kubesphere = kubesphere;
        this.status = status;
        this.audit = audit;
    }

    public Object run(FleetAction action, AckClient ack) {
        return switch (action.name()) {
            case "sweep" -> sweep.run(ack, new SweepRequest(List.of(), action.dryRun(), false));
            case "rotate" -> sweep.run(ack, new SweepRequest(action.clusterIds(), action.dryRun(), action.force()));
            case "resync" -> kubesphere.resync(ack, action.members(), action.dryRun());
            case "status" -> status.status(ack);
            case "audit" -> audit.run(ack, action.clusterIds(), action.rbac());
            case "adopt" -> sweep.adopt(ack, action.clusterIds());
            default -> throw new IllegalStateException("unreachable: " + action.name());
        };
    }
}
