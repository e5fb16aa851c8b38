package io.ackrotator.fc;

import com.fasterxml.jackson.databind.JsonNode;
import io.ackrotator.ack.AckClients;
import io.ackrotator.rotation.RotationReport;
import io.ackrotator.rotation.RotationSweep;
import io.ackrotator.rotation.StatusReport;
import io.ackrotator.rotation.SweepRequest;
import io.quarkus.funqy.Funq;
import java.util.Set;

/** The admin functions over HTTP. Each maps its input to a request, hands over, and returns the report. */
public class RotatorFunctions {

    private final RotationSweep sweep;
    private final FleetStatus status;
    private final AckClients ackClients;
    private final Invocation invocation;

    public RotatorFunctions(RotationSweep sweep, FleetStatus status, AckClients ackClients, Invocation invocation) {
        this.sweep = sweep;
        this.status = status;
        this.ackClients = ackClients;
        this.invocation = invocation;
    }

    /**
     * {@code POST /rotate {"clusterIds": [...], "dryRun": false, "force": false, "reidentify": false}}, all optional;
     * {@code reidentify} (accept a kubeconfig of another identity) only with named clusters.
     */
    @Funq
    public RotationReport rotate(JsonNode body) {
        JsonInput input = JsonInput.of(body, Set.of("clusterIds", "dryRun", "force", "reidentify"));
        boolean reidentify = input.bool("reidentify", false);
        var clusterIds = input.clusterIds("clusterIds");
        if (reidentify && clusterIds.isEmpty()) {
            throw new BadRequestException("reidentify", "reidentify applies only to named clusters: give clusterIds");
        }
        SweepRequest request = new SweepRequest(clusterIds, input.bool("dryRun", false), input.bool("force", false),
                reidentify);
        return sweep.run(ackClients.forInvocation(invocation.credentials()), request);
    }

    /**
     * {@code POST /status {"probe": false}}: the read-only inventory, with the last fleet audit's flags; {@code probe}
     * first proves each stored kubeconfig due for it against its API server (as the sweep does).
     */
    @Funq
    public StatusReport status(JsonNode body) {
        JsonInput input = JsonInput.of(body, Set.of("probe"));
        return status.status(ackClients.forInvocation(invocation.credentials()), input.bool("probe", false));
    }
}
