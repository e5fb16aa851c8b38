package io.ackrotator.fc;

import com.fasterxml.jackson.databind.JsonNode;
import io.ackrotator.ack.AckClients;
import io.ackrotator.issuance.IssuedRevocation;
import io.quarkus.funqy.Funq;
import java.util.Set;

/**
 * {@code POST /revoke-issued {"caller", "clusterId"}} (admin): every certificate issued to that caller for that
 * cluster stops working; the fleet's stored kubeconfig does not.
 */
public class RevokeIssuedFunction {

    private final IssuedRevocation revocation;
    private final AckClients ackClients;
    private final Invocation invocation;

    public RevokeIssuedFunction(IssuedRevocation revocation, AckClients ackClients, Invocation invocation) {
        this.revocation = revocation;
        this.ackClients = ackClients;
        this.invocation = invocation;
    }

    @Funq("revoke-issued")
    public IssuedRevocation.Revoked revokeIssued(JsonNode body) {
        JsonInput input = JsonInput.of(body, Set.of("caller", "clusterId"));
        String caller = input.text("caller").orElseThrow(() -> new BadRequestException("caller", "caller is required"));
        String clusterId = input.text("clusterId")
                .orElseThrow(() -> new BadRequestException("clusterId", "clusterId is required"));
        return revocation.revoke(caller, JsonInput.clusterId("clusterId", clusterId), invocation.sourceAddress(),
                invocation.requestIdOrNew(), ackClients.forInvocation(invocation.credentials()));
    }
}
