package io.ackrotator.issuance;

import io.ackrotator.auth.Authentication;
import io.ackrotator.ack.AckClient;
import io.ackrotator.ack.AckConfig;
import io.ackrotator.ack.AckException;
import io.ackrotator.ack.ClusterId;
import io.ackrotator.ack.RoleSessions;
import io.ackrotator.ack.SessionPolicy;
import io.ackrotator.host.HostCluster;
import io.ackrotator.rotation.RotationConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Optional;

/**
 * Revokes what was issued to one caller on one cluster: {@code RevokeK8sClusterKubeConfig} acting as the caller's
 * role, which ACK applies to that identity's kubeconfigs of that cluster only, so the fleet's stored kubeconfig (the
 * function's identity) keeps working. A caller with the function's identity can't be revoked this way: that would be
 * the fleet's credential.
 */
@ApplicationScoped
public class IssuedRevocation {

    /** What was done, for the answer: no secret, no kubeconfig. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record Revoked(String caller, String clusterId, String roleArn, String assumedRoleId, String status) {
    }

    private final CallerRegistry callers;
    private final RoleSessions sessions;
    private final String region;
    private final Clock clock;
    private final HostCluster host;
    private final String namespace;
    private final boolean auditEvents;

    public IssuedRevocation(IssuanceConfig config, CallerRegistry callers, RoleSessions sessions, AckConfig ack,
            Clock clock, HostCluster host, RotationConfig rotation) {
        this.callers = callers;
        this.sessions = sessions;
        this.region = ack.region();
        this.clock = clock;
        this.host = host;
        this.namespace = rotation.namespace();
        this.auditEvents = config.auditEvents();
    }

    public Revoked revoke(String callerName, ClusterId clusterId, Optional<String> sourceIp, String requestId,
            AckClient function) {
        Caller caller = callers.named(callerName).orElseThrow(() -> new IssuanceRefusedException(404,
                "no caller named '" + callerName + "'", "caller"));
        if (caller.ramRoleArn().isEmpty()) {
            throw new IssuanceRefusedException(409, "caller '" + callerName + "' has the function's own identity "
                    + "(identity=function): revoking its kubeconfigs would revoke the fleet's stored kubeconfig of "
                    + "this cluster; give the caller a ram-role-arn", "caller");
        }
        String role = caller.ramRoleArn().get();
        RoleSessions.Session session;
        try {
            session = sessions.as(new RoleSessions.Grant(role, TemporaryKubeconfigService.sessionName(caller,
                    requestId), SessionPolicy.revoke(region, clusterId)));
            session.ack().revokeKubeconfig(clusterId);
        } catch (AckException e) {
            audit(caller, clusterId, sourceIp, role, null, 502, "not revoked: " + e.getMessage(), function);
            throw new IssuanceRefusedException(e.kind() == AckException.Kind.NOT_FOUND ? 404 : 502,
                    "not revoked: " + e.getMessage(), null);
        }
        audit(caller, clusterId, sourceIp, role, session.role().assumedRoleId(), 200, null, function);
        return new Revoked(callerName, clusterId.value(), role, session.role().assumedRoleId(), "revoked");
    }

    private void audit(Caller caller, ClusterId clusterId, Optional<String> sourceIp, String role,
            String assumedRoleId, int status, String reason, AckClient function) {
        AuditRecord record = new AuditRecord(clock.instant(), status == 200 ? AuditRecord.REVOKED
                : AuditRecord.REFUSED, status, caller.name(), sourceIp.orElse(null), clusterId.value(), null, null,
                null, null, null, null, reason, "POST /revoke-issued", role, assumedRoleId,
                Authentication.token());
        AuditLog.write(record, auditEvents, () -> host.client(function), namespace);
    }
}
