package io.ackrotator.fc;

import com.fasterxml.jackson.databind.JsonNode;
import io.ackrotator.ack.AckClients;
import io.ackrotator.ack.ClusterId;
import io.ackrotator.auth.Authentication;
import io.ackrotator.issuance.AuditLog;
import io.ackrotator.issuance.AuditRecord;
import io.ackrotator.rotation.RotationReport;
import io.ackrotator.rotation.RotationSweep;
import io.quarkus.funqy.Funq;
import java.time.Clock;
import java.util.Set;

/**
 * {@code POST /revoke {"clusterId", "confirm": "<clusterId>", "reason"}} (admin): revoke the fleet's stored credential
 * of one cluster at ACK and recover with a new verified one (see {@link RotationSweep#revoke}). {@code confirm} must
 * repeat the cluster ID: revoking breaks everything still using the old kubeconfig until it is re-synced.
 */
public class RevokeFunction {

    private final RotationSweep sweep;
    private final AckClients ackClients;
    private final Invocation invocation;
    private final Clock clock;

    public RevokeFunction(RotationSweep sweep, AckClients ackClients, Invocation invocation, Clock clock) {
        this.sweep = sweep;
        this.ackClients = ackClients;
        this.invocation = invocation;
        this.clock = clock;
    }

    @Funq
    public RotationReport revoke(JsonNode body) {
        JsonInput input = JsonInput.of(body, Set.of("clusterId", "confirm", "reason"));
        ClusterId clusterId = JsonInput.clusterId("clusterId", input.text("clusterId")
                .orElseThrow(() -> new BadRequestException("clusterId", "clusterId is required")));
        if (!input.text("confirm").map(clusterId.value()::equals).orElse(false)) {
            throw new BadRequestException("confirm", "confirm must repeat the clusterId: revoking breaks everything "
                    + "still using the stored kubeconfig until it is replaced and re-synced");
        }
        String reason = input.text("reason").map(String::trim).filter(text -> !text.isEmpty())
                .orElseThrow(() -> new BadRequestException("reason", "reason is required (it is recorded)"));
        if (reason.length() > 300 || !reason.matches("[\\p{Print}&&[^\\p{Cntrl}]]+")) {
            throw new BadRequestException("reason", "reason must be printable text of at most 300 characters");
        }
        AuditLog.log(new AuditRecord(clock.instant(), AuditRecord.REVOKED, 202, invocation.principal().orElse(null),
                invocation.sourceAddress().orElse(null), clusterId.value(), null, null, null, null, null, null, reason,
                "POST /revoke", null, null, invocation.authentication().orElse(Authentication.token())));
        return sweep.revoke(ackClients.forInvocation(invocation.credentials()), clusterId, reason)
                .orElseThrow(() -> new HttpStatusException(404, "no kubeconfig is stored for cluster " + clusterId
                        + ": nothing to revoke"));
    }
}
