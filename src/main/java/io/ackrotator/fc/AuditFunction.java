package io.ackrotator.fc;

import com.fasterxml.jackson.databind.JsonNode;
import io.ackrotator.ack.AckClients;
import io.ackrotator.hygiene.FleetAudit;
import io.ackrotator.hygiene.FleetAuditReport;
import io.quarkus.funqy.Funq;
import java.util.Set;

/** {@code POST /audit {"clusterIds": [...], "rbac": false}} (admin): the fleet audit of every identity's kubeconfig. */
public class AuditFunction {

    private final FleetAudit audit;
    private final AckClients ackClients;
    private final Invocation invocation;

    public AuditFunction(FleetAudit audit, AckClients ackClients, Invocation invocation) {
        this.audit = audit;
        this.ackClients = ackClients;
        this.invocation = invocation;
    }

    @Funq
    public FleetAuditReport audit(JsonNode body) {
        JsonInput input = JsonInput.of(body, Set.of("clusterIds", "rbac"));
        return audit.run(ackClients.forInvocation(invocation.credentials()), input.clusterIds("clusterIds"),
                input.bool("rbac", false));
    }
}
